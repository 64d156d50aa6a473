"""Chatter notes for many records in one INSERT, and the languages of the
texts written for the staff.

The values are those of ``mail.thread._message_log_batch``; the ORM would
split the create into chunks of 100 rows and sanitize every body again,
which makes a dunning run's cost grow with the number of invoices.

Staff texts that stay on the records (chatter notes, run names and logs,
hold reasons, a reminder's error) are written in the company's language,
whoever runs the code: the daily cron runs as OdooBot, in English. An
activity speaks the language of the user it is assigned to. Texts for the
customer are in the customer's language (the templates and reports).
"""

from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id


def insert_notes(env, model, bodies):
    """Log ``bodies`` ({res_id: Markup}) as internal notes on ``model``.

    The bodies must be safe HTML (Markup built from escaped values)."""
    if not bodies:
        return
    records = env[model].sudo().browse(list(bodies))
    author_id, email_from = records._message_compute_author()
    reply_to = env["mail.thread"]._notify_get_reply_to(
        default=email_from, author_id=author_id
    )[False]
    env["mail.message"].flush_model()
    env.execute_query(
        SQL(
            """
            INSERT INTO mail_message
                   (model, res_id, body, author_id, email_from, reply_to,
                    message_type, is_internal, subtype_id, email_add_signature,
                    message_id, date, create_uid, create_date, write_uid, write_date)
            SELECT %(model)s, m.res_id, m.body, %(author)s, %(email_from)s,
                   %(reply_to)s, 'notification', TRUE, %(subtype)s, FALSE,
                   %(message_id)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                   NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(res_ids)s::int[], %(bodies)s::text[]) AS m(res_id, body)
            """,
            model=model,
            author=author_id or None,
            email_from=email_from or None,
            reply_to=reply_to or None,
            subtype=env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            message_id=generate_tracking_message_id("message-notify"),
            uid=env.uid,
            res_ids=list(bodies),
            bodies=[str(body) for body in bodies.values()],
        )
    )
    env["mail.message"].invalidate_model()
    records.invalidate_recordset(["message_ids"])


def staff_env(env, company=None):
    """``env`` in the language of the staff texts of ``company`` (default
    the current one): its partner's language."""
    company = company or env.company
    lang = company.sudo().partner_id.lang or env.lang or "en_US"
    if lang == env.lang:
        return env
    return env(context=dict(env.context, lang=lang))


def user_env(env, user):
    """``env`` in the language of ``user`` (an activity assigned to them)."""
    lang = (user and user.sudo().lang) or env.lang or "en_US"
    if lang == env.lang:
        return env
    return env(context=dict(env.context, lang=lang))

import ast
import functools
import logging
from collections import defaultdict, namedtuple

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date, formatLang, get_lang

from odoo.addons.base.models.res_lang import intersperse

from ..credit_control.rights import check_credit_rights
from .chatter import insert_notes, staff_env, user_env
from .ir_config_parameter import MAIL_BATCH_CONTEXT

_logger = logging.getLogger(__name__)

# a row of a reminder's invoice table: its line, the document's number, the
# due date, days late, the amount due in the invoice's currency, the amount
# due in the company's currency (negative for a credit note), the currency,
# the document's type and its payment reference (its number when it has none)
TableRow = namedtuple(
    "TableRow",
    "line name date_maturity days_overdue amount_residual_currency "
    "amount_residual currency_id move_type payment_reference",
)


def amount_formatter(env):
    """Odoo's ``format_amount(amount, currency, lang_code=False)`` of the
    render context, with what it looks up at every call (the language, its
    separators and grouping, the currency's digits and symbol) looked up
    once per currency and language: a reminder's table formats thousands of
    amounts."""
    formats = {}

    def format_amount(amount, currency, lang_code=False):
        key = (currency.id, lang_code)
        if key not in formats:
            lang = get_lang(env, lang_code)
            symbol = currency.symbol or ""
            formats[key] = (
                f"%.{currency.decimal_places}f",
                ast.literal_eval(lang.grouping),
                lang.thousands_sep or "",
                lang.decimal_point,
                f"{symbol}\N{NO-BREAK SPACE}" if currency.position == "before" else "",
                f"\N{NO-BREAK SPACE}{symbol}" if currency.position != "before" else "",
                currency.round,
            )
        fmt, grouping, thousands_sep, decimal_point, pre, post, rounded = formats[key]
        parts = (fmt % rounded(amount)).split(".")
        parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
        formatted = (
            decimal_point.join(parts)
            .replace(" ", "\N{NO-BREAK SPACE}")
            .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        )
        return f"{pre}{formatted}{post}"

    return format_amount


# the languages that put a space before the percent sign ("12,15 %")
SPACE_BEFORE_PERCENT = ("fr", "de", "es", "nb", "sv", "fi", "cs", "pl")


def format_percent(env, value, lang_code=False):
    """A rate as a reader of ``lang_code`` (the context's by default) writes
    it, with Odoo's own number format: "12,15 %" in French, "12.15%" in
    English; no trailing zeros ("12 %", "10,5 %")."""
    lang = get_lang(env, lang_code)
    text = formatLang(env(context=dict(env.context, lang=lang.code)), value, digits=2)
    if lang.decimal_point and lang.decimal_point in text:
        text = text.rstrip("0").rstrip(lang.decimal_point)
    space = (
        "\N{NO-BREAK SPACE}" if lang.code.split("_")[0] in SPACE_BEFORE_PERCENT else ""
    )
    return f"{text}{space}%"


# Whether wkhtmltopdf renders several documents in one call (patched Qt).
_BATCH_RENDERING = {"possible": True}

STATES = [
    ("attention", "Needs Attention"),
    ("failed", "Failed"),
    ("to_print", "To Print"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("printed", "Printed"),
    ("done", "Done"),
]
# what a controller must look at first comes first in the lists
STATE_PRIORITY = {"attention": 0, "failed": 1, "to_print": 2}
# the channels a reminder went through (stored as keys in ``channels``),
# named for the staff by the label of the level's action
CHANNEL_ACTIONS = {
    "email": "send_email",
    "sms": "send_sms",
    "letter": "send_letter",
    "call": "create_call_activity",
    "escalation": "create_escalation_activity",
    "legal": "create_legal_activity",
    "penalties": "charge_penalties",
}


class CreditDunningCommunication(models.Model):
    _name = "credit.dunning.communication"
    _description = "Dunning Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_priority, date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    recipient_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "credit.dunning.level", required=True, readonly=True, ondelete="restrict"
    )
    policy_id = fields.Many2one(related="level_id.policy_id")
    run_id = fields.Many2one(
        "credit.dunning.run", readonly=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True, readonly=True, index=True)
    line_ids = fields.One2many(
        "credit.dunning.communication.line", "communication_id", readonly=True
    )
    # summed by the run from the lines it writes (one UPDATE per batch)
    amount_due = fields.Monetary(
        readonly=True,
        help="Open invoices minus open credit notes listed, company currency.",
    )
    amount_overdue = fields.Monetary(
        readonly=True, help="Overdue invoices listed, company currency."
    )
    channels = fields.Char(readonly=True)
    channel_labels = fields.Char(
        string="Sent By",
        compute="_compute_channel_labels",
        help="The channels of the reminder, named in the reader's language.",
    )
    state = fields.Selection(STATES, default="done", required=True, readonly=True)
    state_priority = fields.Integer(compute="_compute_state_priority", store=True)
    error = fields.Text(readonly=True)
    mail_message_id = fields.Many2one("mail.message", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Statement", readonly=True)
    penalty_move_id = fields.Many2one(
        "account.move", string="Penalty Invoice", readonly=True
    )
    invoice_table_html = fields.Html(
        string="Invoices Table",
        compute="_compute_invoice_table_html",
        sanitize=False,
        help="The table of the invoices listed, as the reminder emails show it "
        "(placeholder object.invoice_table_html of their templates).",
    )

    # Placeholders the reminder templates may use without Odoo's template
    # editor rights: a template made only of allowed placeholders is rendered
    # by Odoo's regex mode, without compiling it again for every customer.
    _MAIL_PLACEHOLDERS = (
        "object.recipient_id.name",
        "object.recipient_id.id",
        "object.recipient_id.lang",
        "object.company_id.name",
        "object.invoice_table_html",
    )

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + self._MAIL_PLACEHOLDERS

    def _mail_get_partner_fields(self, introspect_fields=False):
        # reminders go to the recipient (the invoice-address contact when it
        # has an email), not to the commercial entity
        return ["recipient_id"]

    @api.depends("state")
    def _compute_state_priority(self):
        for comm in self:
            comm.state_priority = STATE_PRIORITY.get(comm.state, 9)

    @api.depends("partner_id", "level_id", "date")
    def _compute_name(self):
        # a staff text: the level's name in the company's language
        for comm in self:
            level = comm.level_id.with_env(staff_env(self.env, comm.company_id))
            comm.name = f"{level.name or ''} - {comm.partner_id.name or ''}"

    @api.depends("channels", "state")
    @api.depends_context("lang")
    def _compute_channel_labels(self):
        for comm in self:
            comm.channel_labels = comm._channel_labels()

    @api.depends(
        "line_ids.amount_residual_currency", "line_ids.days_overdue", "attachment_id"
    )
    @api.depends_context("lang")
    def _compute_invoice_table_html(self):
        """The QWeb view mail_dunning_invoice_table, compiled once per
        language and cached by Odoo, in the language of the context (the
        recipient's, when a template renders it)."""
        values = self.env["mail.render.mixin"]._render_eval_context()
        # a few hundred due dates for thousands of rows: format each one once
        values["format_date"] = functools.cache(values["format_date"])
        values["format_amount"] = amount_formatter(self.env)
        qweb = self.env["ir.qweb"]
        rows = self._invoice_table_rows()
        for comm in self:
            comm_rows = rows.get(comm.id, [])
            comm.invoice_table_html = qweb._render(
                "credit_dunning.mail_dunning_invoice_table",
                dict(
                    values,
                    object=comm,
                    rows=comm_rows,
                    show_days_late=any(row.days_overdue > 0 for row in comm_rows),
                ),
            )

    def _invoice_table_rows(self):
        """{reminder id: [TableRow]} in the order of the reminder's lines,
        read in one query for all the reminders: the table's cells are
        plain values, not a walk through the lines' records for each cell
        (a fifth of the run's time at 10,000 invoices). Each row keeps its
        line (``row.line``) for a customised table."""
        if not self.ids:
            return {}
        self.env["credit.dunning.communication.line"].flush_model()
        self.env["account.move"].flush_model(
            ["name", "currency_id", "move_type", "payment_reference"]
        )
        Line = self.env["credit.dunning.communication.line"]
        Currency = self.env["res.currency"]
        rows = defaultdict(list)
        for (
            comm_id,
            line_id,
            name,
            date_maturity,
            days,
            amount,
            signed,
            currency,
            move_type,
            reference,
        ) in self.env.execute_query(
            SQL(
                """
                    SELECT l.communication_id, l.id, m.name, l.date_maturity,
                           l.days_overdue, l.amount_residual_currency,
                           l.amount_residual, m.currency_id, m.move_type,
                           m.payment_reference
                      FROM credit_dunning_communication_line l
                      -- one primary-key lookup per line (OFFSET 0 keeps
                      -- PostgreSQL from hashing all the invoices of the
                      -- company: 65 ms a batch at 100,000 invoices)
                      CROSS JOIN LATERAL (
                          SELECT name, currency_id, move_type, payment_reference
                            FROM account_move
                           WHERE id = l.move_id OFFSET 0
                      ) m
                     WHERE l.communication_id = ANY(%s)
                     ORDER BY l.communication_id, l.date_maturity, l.id
                    """,
                self.ids,
            )
        ):
            rows[comm_id].append(
                TableRow(
                    Line.browse(line_id),
                    name or "",
                    date_maturity,
                    days or 0,
                    amount or 0.0,
                    signed or 0.0,
                    Currency.browse(currency),
                    move_type,
                    reference or name or "",
                )
            )
        return rows

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mark_printed(self):
        self.filtered(lambda c: c.state == "to_print").write({"state": "printed"})
        return True

    def action_print_letter(self):
        self._credit_check_user()
        return self.env.ref(
            "credit_dunning.action_report_dunning_letter"
        ).report_action(self)

    def action_record_promise(self):
        self._credit_check_user()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Promise"),
            "res_model": "credit.dunning.promise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_communication_id": self.id,
                "default_move_ids": self.line_ids.move_id.filtered(
                    lambda m: m.move_type == "out_invoice"
                ).ids,
            },
        }

    def action_retry_email(self):
        """Send the email of failed reminders again (after the address was
        corrected, or the mail server fixed)."""
        self._credit_check_user()
        failed = self.filtered(
            lambda c: (
                c.state == "failed" and c.level_id.send_email and c.recipient_id.email
            )
        )
        if not failed:
            raise UserError(
                self.env._(
                    "Only failed reminders to a customer with an email are sent again."
                )
            )
        failed.sudo()._send_emails()
        failed.sudo().write({"state": "queued", "error": False})
        for comm in failed:
            comm.message_post(
                body=staff_env(self.env, comm.company_id)._(
                    "Email sent again by %s.", self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_send_as_letter(self):
        """A reminder whose email failed is printed and posted instead."""
        self._credit_check_user()
        failed = self.filtered(lambda c: c.state == "failed")
        failed.filtered(lambda c: not c.attachment_id).sudo()._render_statement()
        for comm in failed:
            channels = comm._channel_list()
            if "letter" not in channels:
                channels.append("letter")
            comm.sudo().write(
                {"state": "to_print", "channels": ", ".join(channels), "error": False}
            )
            comm.message_post(
                body=staff_env(self.env, comm.company_id)._(
                    "To be printed and posted instead (%s).", self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _credit_check_user(self):
        check_credit_rights(
            self.env, self.env._("Only credit control users can act on reminders.")
        )

    def _message_receive_bounce(self, email, partner):
        """A bounce of the reminder email: the reminder failed."""
        result = super()._message_receive_bounce(email, partner)
        self.sudo()._credit_email_failed(self.env._("bounced (%s)", email))
        return result

    def _credit_email_sent(self):
        """The mail server accepted the email of these reminders."""
        self.filtered(lambda c: c.state == "queued").write({"state": "sent"})

    def _credit_email_failed(self, reason):
        """The email of these reminders was not delivered: failed, listed
        first, a task for the collector, who sends it again or prints it."""
        reminders = self.filtered(
            lambda c: c.state in ("queued", "sent", "done", "to_print")
        )
        for comm in reminders:
            comm.write(
                {
                    "state": "failed",
                    "error": staff_env(self.env, comm.company_id)._(
                        "Email not delivered to %(email)s: %(reason)s. Send it again "
                        "once corrected, or print it as a letter.",
                        email=comm.recipient_id.email or "-",
                        reason=reason,
                    ),
                }
            )
            comm._schedule(
                "mail.mail_activity_data_todo",
                comm.partner_id._credit_dunning_collector(comm.company_id),
                lambda env, comm=comm: env._(
                    "Reminder email not delivered to %(partner)s: %(reason)s",
                    partner=comm.partner_id.name,
                    reason=reason,
                ),
                deadline=fields.Date.context_today(comm),
            )
        return reminders

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _overdue_summary(self):
        """A line for the staff, in the language of the context."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line.move_id.move_type == "out_invoice"
        )
        return self.env._(
            "%(count)s open invoice(s), %(amount)s overdue, oldest %(days)s days",
            count=len(lines),
            amount=format_amount(self.env, self.amount_overdue, self.currency_id),
            days=max(lines.mapped("days_overdue") or [0]),
        )

    def _render_statement(self):
        """The statement / letter PDF of each communication, attached to it.

        All the communications of a batch are rendered by one wkhtmltopdf call
        and the PDF is split per customer; when it cannot be split (or in
        test mode, where Odoo renders HTML), each one is rendered alone."""
        if not self:
            return
        report = self.env.ref("credit_dunning.action_report_dunning_letter")
        Report = self.env["ir.actions.report"].sudo()
        contents = {}
        if len(self) > 1 and _BATCH_RENDERING["possible"]:
            try:
                rendered, fmt = Report._pre_render_qweb_pdf(report, res_ids=self.ids)
            except UserError:
                # wkhtmltopdf built with an unpatched Qt (Debian's) renders one
                # document at a time: do so from now on in this process.
                _logger.info("wkhtmltopdf cannot render batches: one PDF per customer")
                _BATCH_RENDERING["possible"] = False
                rendered, fmt = {}, None
            if fmt == "pdf" and set(rendered) == set(self.ids):
                contents = {
                    res_id: (value["stream"].getvalue(), "pdf")
                    for res_id, value in rendered.items()
                }
        for comm in self.filtered(lambda c: c.id not in contents):
            contents[comm.id] = Report._render_qweb_pdf(report, comm.ids)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        # the customer reads the file name: in its language,
                        # dated year-month-day (no slash in a file name, and
                        # the customer's statements sort by date)
                        "name": comm._credit_letter_filename()
                        if contents[comm.id][1] == "pdf"
                        else comm._credit_letter_filename()[:-4] + ".html",
                        "raw": contents[comm.id][0],
                        "res_model": comm._name,
                        "res_id": comm.id,
                        "mimetype": "application/pdf"
                        if contents[comm.id][1] == "pdf"
                        else "text/html",
                    }
                    for comm in self
                ]
            )
        )
        for comm, attachment in zip(self, attachments, strict=True):
            comm.attachment_id = attachment

    def _execute_actions(self):
        """Carry out the actions of each communication's level. Nothing is
        silent: a reminder whose documents lack a setting (address, bank
        account, sender email, reference rate) is held, a reminder that
        cannot go out is recorded as failed and turned into a task. Emails,
        statements and chatter notes are made for the whole batch at once."""
        missing = self._credit_missing_settings()
        held = self.filtered(lambda c: c.id in missing)
        outcomes = (self - held)._send_documents()
        for comm in held:
            outcomes[comm] = comm._held_outcome(missing[comm.id], channels=[])
        for comm, channels in self._act_internally().items():
            outcomes[comm]["channels"] += channels
        self._write_outcomes(outcomes)
        held._credit_tell_managers_missing(missing)
        # the customer's chatter links each reminder (the run's reminders are
        # of one company: one language)
        staff = staff_env(self.env, self.company_id[:1])
        insert_notes(
            self.env,
            "res.partner",
            {
                comm.partner_id.id: Markup(
                    "%s <a href='#' data-oe-model='%s' data-oe-id='%s'>%s</a> (%s)"
                )
                % (
                    staff._("Dunning:"),
                    comm._name,
                    comm.id,
                    comm.name,
                    comm.with_env(staff)._channel_labels(),
                )
                for comm in self
            },
        )

    def _channel_labels(self):
        """The channels of the reminder (else its state), named in the
        language of the context."""
        self.ensure_one()
        Level = self.env["credit.dunning.level"]
        labels = [
            Level._fields[CHANNEL_ACTIONS[channel]].get_description(self.env)["string"]
            if channel in CHANNEL_ACTIONS
            else channel
            for channel in self._channel_list()
        ]
        if labels:
            return ", ".join(labels)
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _write_outcomes(self, outcomes):
        """Write channels, state and error in one UPDATE per outcome; a
        reminder that failed gets a task for its collector."""
        grouped = defaultdict(lambda: self.browse())
        for comm, outcome in outcomes.items():
            if outcome["errors"]:
                comm._schedule(
                    "mail.mail_activity_data_todo",
                    comm.partner_id._credit_dunning_collector(comm.company_id),
                    lambda env, errors=outcome["errors"]: env._(
                        "Reminder could not be sent: %s", "; ".join(errors)
                    ),
                )
            error = outcome.get("error") or "\n".join(outcome["errors"]) or False
            grouped[", ".join(outcome["channels"]), outcome["state"], error] |= comm
        for (channels, state, error), comms in grouped.items():
            comms.write({"channels": channels, "state": state, "error": error})

    def _needs_letter(self):
        """A letter is printed when the level says so, and instead of the
        email when the recipient has no email address."""
        self.ensure_one()
        level = self.level_id
        return bool(
            level.send_letter or (level.send_email and not self.recipient_id.email)
        )

    def _send_documents(self):
        """Statements, emails, SMS, letters and penalty invoices: what the
        customer receives. {comm: outcome}."""
        self.filtered(
            lambda c: (
                c._needs_letter()
                or (c.level_id.send_email and c.level_id.attach_statement)
            )
        )._render_statement()
        emailed = self.filtered(
            lambda c: c.level_id.send_email and c.recipient_id.email
        )
        emailed._send_emails()
        outcomes = {}
        for comm in self:
            level = comm.level_id
            channels = []
            errors = []
            if comm in emailed:
                channels.append("email")
            if level.send_sms:
                number = comm.recipient_id.phone
                if number:
                    comm._send_sms(number)
                    channels.append("sms")
                else:
                    errors.append(
                        staff_env(self.env, comm.company_id)._(
                            "no phone number for the SMS"
                        )
                    )
            if comm._needs_letter():
                channels.append("letter")
            if level.charge_penalties:
                penalty_errors = comm._charge_penalties()
                errors.extend(penalty_errors)
                if not penalty_errors:
                    channels.append("penalties")
            state = "done"
            if errors:
                state = "failed"
            elif "letter" in channels:
                state = "to_print"
            elif "email" in channels:
                # in the outgoing queue: "Sent" once the mail server took it
                state = "queued"
            elif "sms" in channels:
                state = "sent"
            outcomes[comm] = {"channels": channels, "errors": errors, "state": state}
        return outcomes

    def _act_internally(self):
        """Tasks, escalations, hold, cash-only: what the company does, held
        documents or not, for the whole batch at once (one creation of the
        tasks, one change of flags per level). {comm: [channels]}."""
        result = {comm: [] for comm in self}
        tasks = []
        for comm in self:
            level = comm.level_id
            partner = comm.partner_id
            if level.create_call_activity:
                tasks.append(
                    comm._task(
                        "mail.mail_activity_data_call",
                        partner._credit_dunning_collector(comm.company_id),
                        lambda env, partner=partner: env._(
                            "Call %(partner)s about the overdue invoices",
                            partner=partner.name,
                        ),
                    )
                )
                result[comm].append("call")
            if level.create_escalation_activity:
                tasks.append(comm._escalation_task())
                result[comm].append("escalation")
        for (company, level), comms in self.grouped(
            lambda c: (c.company_id, c.level_id)
        ).items():
            if not (level.set_credit_hold or level.set_cash_only):
                continue
            staff = staff_env(self.env, company)
            # the hold reason stays on the customer: the company's language
            reason = staff._("dunning level “%s” reached", level.with_env(staff).name)
            flagged = comms.partner_id.with_company(company)
            if level.set_credit_hold:
                flagged._credit_set_flags(reason, origin="dunning", credit_hold=True)
            if level.set_cash_only:
                flagged._credit_set_flags(reason, origin="dunning", cash_only=True)
        handoffs = self.filtered(lambda c: c.level_id.create_legal_activity)
        tasks += handoffs._credit_legal_handoff()
        for comm in handoffs:
            result[comm].append("legal")
        self._create_tasks(tasks)
        return result

    def _credit_legal_handoff(self):
        """The last rung: a task for the collector to hand each customer over
        to legal action or a collection agency. Returns the tasks to create
        (see ``_task``)."""
        return [
            comm._task(
                "credit_dunning.mail_activity_type_dunning_legal",
                comm.partner_id._credit_dunning_collector(comm.company_id),
                lambda env, partner=comm.partner_id: env._(
                    "Hand %(partner)s over to legal action or a collection agency",
                    partner=partner.name,
                ),
            )
            for comm in self
        ]

    # ------------------------------------------------------------------
    # Reminders held for a missing setting
    # ------------------------------------------------------------------
    def _credit_missing_settings(self):
        """{comm id: [missing setting, ...]} for the reminders whose
        documents need a setting that is not filled in: nothing internal is
        ever printed on a customer's document instead. Extended by the
        late-payment side (reference rates)."""
        result = defaultdict(list)
        for company, comms in self.grouped("company_id").items():
            # named in the company's language: the reminder's error and the
            # managers' to-do list them
            gaps = company.with_env(
                staff_env(self.env, company)
            )._credit_document_gaps()
            for comm in comms:
                level = comm.level_id
                letter = comm._needs_letter()
                email = level.send_email and comm.recipient_id.email
                needs = []
                if letter:
                    needs += ["address", "bank"]
                if email:
                    needs += ["email"]
                for need in needs:
                    if need in gaps and gaps[need] not in result[comm.id]:
                        result[comm.id].append(gaps[need])
        return {key: value for key, value in result.items() if value}

    def _credit_tell_managers_missing(self, missing):
        """One to-do for the credit managers per policy, listing what is
        missing and the reminders held; updated, not repeated, by the next
        runs while it is open."""
        if not self:
            return
        for company, comms in self.grouped("company_id").items():
            policy = (
                self.env["credit.dunning.policy"].sudo()._get_default_policy(company)
                or comms.level_id.policy_id[:1].sudo()
            )
            items = sorted({item for comm in comms for item in missing[comm.id]})
            names = ", ".join(
                comms.sudo()
                .search([("company_id", "=", company.id), ("state", "=", "attention")])
                .mapped("name")
            )

            def note(env, items=items, names=names):
                return Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
                    env._("Fill in, then the next run sends the reminders:"),
                    Markup().join(Markup("<li>%s</li>") % item for item in items),
                    env._("Held: %s", names),
                )

            existing = self._credit_held_todos(company)
            if existing:
                for todo in existing.sudo():
                    todo.note = note(user_env(self.env, todo.user_id))
                continue
            managers = self.env["res.partner"]._credit_managers(company)
            for user in managers.filtered(lambda u: u.id != 1)[:1] or managers[:1]:
                env = user_env(self.env, user)
                policy.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.with_env(env)._credit_held_todo_summary(),
                    note=note(env),
                    user_id=user.id,
                )

    def _channel_list(self):
        self.ensure_one()
        return [channel for channel in (self.channels or "").split(", ") if channel]

    def _held_outcome(self, items, channels=None):
        """The outcome of a reminder held for the missing ``items``."""
        self.ensure_one()
        return {
            "channels": self._channel_list() if channels is None else channels,
            "errors": [],
            "state": "attention",
            "error": staff_env(self.env, self.company_id)._(
                "Held until these settings are filled in: %s", "; ".join(items)
            ),
        }

    def _credit_held_todo_summary(self):
        """In the language of the context (the manager's)."""
        return self.env._("Reminders held: settings missing")

    @api.model
    def _credit_held_todos(self, company):
        """The open to-do of ``company``'s credit managers about held
        reminders (on the company's policies)."""
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "credit.dunning.policy"),
                    (
                        "res_id",
                        "in",
                        self.env["credit.dunning.policy"]
                        .sudo()
                        .with_context(active_test=False)
                        .search([("company_id", "in", [False, company.id])])
                        .ids,
                    ),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("mail.mail_activity_data_todo").id,
                    ),
                    # in the language of the manager it was given to
                    (
                        "summary",
                        "in",
                        [
                            self.with_context(lang=code)._credit_held_todo_summary()
                            for code, _name in self.env["res.lang"].get_installed()
                        ],
                    ),
                    ("user_id.company_ids", "in", company.ids),
                ]
            )
        )

    @api.model
    def _credit_send_held(self, company):
        """Send the held reminders of ``company`` whose settings are now
        filled in (called at the start of each run)."""
        held = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "attention")]
        )
        if not held:
            return held
        missing = held._credit_missing_settings()
        ready = held.filtered(lambda c: c.id not in missing)
        outcomes = ready._send_documents()
        for comm in ready:
            outcomes[comm]["channels"] = (
                comm._channel_list() + outcomes[comm]["channels"]
            )
        ready._write_outcomes(outcomes)
        staff = staff_env(self.env, company)
        for comm in ready:
            comm.partner_id._credit_log_note(
                staff._(
                    "Held reminder %(name)s sent: %(channels)s",
                    name=comm.name,
                    channels=comm.with_env(staff)._channel_labels(),
                )
            )
        still = held - ready
        if still:
            still._write_outcomes(
                {comm: comm._held_outcome(missing[comm.id]) for comm in still}
            )
        else:
            self._credit_held_todos(company).action_feedback(
                feedback=staff._("Settings filled in, reminders sent.")
            )
        return ready

    def _send_emails(self):
        """Queue the reminder emails of a batch with Odoo's mass mailing (one
        composer per template), each with its statement attached. Queued,
        never sent from inside the run: Odoo's composer would otherwise send
        a group of 100 emails or fewer at once (``mail.mail.force.send.limit``),
        one SMTP exchange each in the batch's transaction, and a batch
        retried after a conflict would send them a second time. Odoo's mail
        queue sends them once the batch is committed."""
        for template, comms in self.grouped(
            lambda c: c.level_id.mail_template_id
        ).items():
            # the batch's emails in one group of the composer, not groups of
            # 50 each followed by the emptying of every cache (a sixth of a
            # 1,000-invoice run)
            mails = (
                comms.sudo()
                .with_context(**{MAIL_BATCH_CONTEXT: len(comms)})
                .message_mail_with_source(
                    template, message_type="comment", force_send=False
                )
            )
            comm_by_id = {comm.id: comm for comm in comms}
            links = []
            for mail in mails:
                comm = comm_by_id.get(mail.res_id)
                if not comm:
                    continue
                comm.mail_message_id = mail.mail_message_id
                if comm.attachment_id:
                    links.append((mail.mail_message_id.id, comm.attachment_id.id))
            if links:
                self.env["mail.message"].flush_model(["attachment_ids"])
                self.env.execute_query(
                    SQL(
                        "INSERT INTO message_attachment_rel (message_id, attachment_id) "
                        "SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING",
                        [link[0] for link in links],
                        [link[1] for link in links],
                    )
                )
                mails.invalidate_recordset(["attachment_ids"])
                self.env["mail.message"].invalidate_model(["attachment_ids"])

    def _charge_penalties(self):
        """One customer invoice with the interest and indemnity of the invoices
        that reached this level; what was already charged is not charged again.
        Returns the errors (a missing reference rate) that prevented it."""
        self.ensure_one()
        level = self.level_id
        moves = self.line_ids.filtered(lambda line: line.level_id == level).move_id
        moves = moves.filtered(lambda m: not m.credit_is_penalty_invoice)
        if not moves:
            return []
        company = self.company_id
        charged = {}
        for source, kind, amount in (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("credit_penalty_source_move_id", "in", moves.ids),
                    ("parent_state", "!=", "cancel"),
                    ("move_id.payment_state", "!=", "reversed"),
                ],
                ["credit_penalty_source_move_id", "credit_penalty_kind"],
                ["price_subtotal:sum"],
            )
        ):
            charged[source.id, kind] = amount
        rate_for = company._credit_penalty_rate_for()
        indemnity = company._credit_recovery_indemnity_company_currency(self.date)
        interest_product = self.env.ref("credit_dunning.product_late_interest")
        indemnity_product = self.env.ref("credit_dunning.product_recovery_indemnity")
        lines, errors = [], []
        # the lines are printed on the customer's invoice: in its language
        customer = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        for move in moves:
            values = move.with_env(customer)._credit_late_penalties(
                self.date, rate_for, indemnity
            )
            if values["error"]:
                errors.append(f"{move.name}: {values['error']}")
                continue
            interest = values["interest"] - charged.get((move.id, "interest"), 0.0)
            common = {
                "quantity": 1,
                "tax_ids": [Command.clear()],
                "credit_penalty_source_move_id": move.id,
                "credit_penalty_level_id": level.id,
            }
            if company.currency_id.compare_amounts(interest, 0) > 0:
                lines.append(
                    Command.create(
                        common
                        | {
                            "product_id": interest_product.id,
                            "name": customer._(
                                "Late-payment interest on %(invoice)s\n%(detail)s",
                                invoice=move.name,
                                detail=values["detail"],
                            ),
                            "price_unit": interest,
                            "credit_penalty_kind": "interest",
                        }
                    )
                )
            if values["indemnity"] and not charged.get((move.id, "indemnity")):
                lines.append(
                    Command.create(
                        common
                        | {
                            "product_id": indemnity_product.id,
                            "name": customer._(
                                "Fixed recovery indemnity, %(invoice)s (Code de "
                                "commerce D441-5)",
                                invoice=move.name,
                            ),
                            "price_unit": values["indemnity"],
                            "credit_penalty_kind": "indemnity",
                        }
                    )
                )
        if lines:
            penalty = (
                self.env["account.move"]
                .sudo()
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.partner_id.id,
                        "invoice_date": self.date,
                        "invoice_payment_term_id": self.env.ref(
                            "account.account_payment_term_immediate"
                        ).id,
                        "currency_id": company.currency_id.id,
                        "credit_is_penalty_invoice": True,
                        "credit_penalty_source_ids": [Command.set(moves.ids)],
                        "invoice_line_ids": lines,
                    }
                )
            )
            penalty.action_post()
            self.penalty_move_id = penalty
        return errors

    def _send_sms(self, number):
        self.ensure_one()
        template = self.level_id.sms_template_id
        body = template._render_field("body", self.ids)[self.id]
        self.env["sms.sms"].sudo().create(
            {"number": number, "body": body, "partner_id": self.recipient_id.id}
        )
        self.partner_id._credit_log_note(
            staff_env(self.env, self.company_id)._(
                "SMS sent to %(number)s: %(body)s", number=number, body=body
            )
        )

    def _schedule(self, activity_xmlid, user, summary, note=None, deadline=None):
        """An activity on the reminder for ``user``, in their language:
        ``summary`` and ``note`` are texts or functions of an environment in
        that language; the note is the overdue summary by default."""
        self.ensure_one()
        return self._create_tasks(
            [self._task(activity_xmlid, user, summary, note, deadline)]
        )

    def _task(
        self, activity_xmlid, user, summary, note=None, deadline=None, notify=False
    ):
        """The values of an activity on the reminder for ``user`` (see
        ``_schedule``), to create with others by ``_create_tasks``. The
        collector's tasks go to their activities and worklist without an
        email each (a run gives a collector hundreds of them); ``notify``
        emails the assignee as Odoo does (the salesperson's escalation)."""
        self.ensure_one()
        user = user or self.env.user
        comm = self.with_env(user_env(self.env, user))
        if callable(summary):
            summary = summary(comm.env)
        if callable(note):
            note = note(comm.env)
        activity_type = self.env["mail.activity.type"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(activity_xmlid)
        )
        return {
            "activity_type_id": activity_type.id,
            "summary": summary or activity_type.summary,
            "note": note or comm._overdue_summary(),
            "date_deadline": deadline or self.date,
            "user_id": user.id,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "automated": True,
            "_notify": notify,
        }

    def _create_tasks(self, tasks):
        """Create the activities of ``_task`` at once. Odoo would email each
        assignee once per activity; the assignees to notify (``notify``) get
        one email listing their new tasks instead, whatever their number."""
        if not tasks:
            return self.env["mail.activity"]
        created = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {key: value for key, value in task.items() if key != "_notify"}
                    for task in tasks
                ]
            )
        )
        self._tell_assignees(
            created.browse(
                [
                    activity.id
                    for activity, task in zip(created, tasks, strict=True)
                    if task["_notify"]
                ]
            )
        )
        return created

    def _tell_assignees(self, activities):
        """One email per assignee, in their language, presenting each of the
        ``activities`` just assigned to them: the customer, what it owes,
        its oldest invoice, what the collector asks, and the links to the
        task and to the customer. It comes from the collector (else the
        company), not from the system."""
        for user, assigned in activities.grouped("user_id").items():
            if not user.partner_id:
                continue
            env = user_env(self.env, user)
            assigned = assigned.with_env(env)
            comms = self.browse(assigned.mapped("res_id")).with_env(env)
            comm_by_id = {comm.id: comm for comm in comms}
            blocks = Markup().join(
                comm_by_id[activity.res_id]._assignee_block(activity)
                for activity in assigned
            )
            if len(assigned) == 1:
                subject = assigned.summary or assigned.activity_type_id.name
            else:
                subject = env._(
                    "%(count)s credit control tasks assigned to you",
                    count=len(assigned),
                )
            collectors = {
                comm.partner_id._credit_dunning_collector(comm.company_id)
                for comm in comms
            }
            collector = collectors.pop() if len(collectors) == 1 else None
            company = comms.company_id[:1] or self.env.company
            sender = collector.partner_id if collector else company.partner_id
            signature = (
                env._(
                    "%(name)s, credit control, %(company)s",
                    name=collector.name,
                    company=company.name,
                )
                if collector
                else env._("Credit control, %(company)s", company=company.name)
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                author_id=sender.id,
                email_from=sender.email_formatted or company.email_formatted,
                subject=subject,
                body=blocks + Markup("<p>%s</p>") % signature,
                email_layout_xmlid="mail.mail_notification_layout",
            )

    def _assignee_block(self, activity):
        """The part of the assignee's email about ``activity`` (on this
        reminder), in the language of the environment."""
        self.ensure_one()
        env = self.env
        partner = self.partner_id
        return Markup(
            "<div style='margin-bottom:16px'><p><b>%(summary)s</b> (%(deadline)s)</p>"
            "%(brief)s<p><a href='/odoo/%(model)s/%(res_id)s'>%(open_task)s</a>"
            " · <a href='/odoo/res.partner/%(partner_id)s'>%(open_customer)s</a></p></div>"
        ) % {
            "summary": activity.summary or activity.activity_type_id.name,
            "deadline": env._(
                "deadline %(date)s", date=format_date(env, activity.date_deadline)
            ),
            "brief": self._escalation_brief(),
            "model": activity.res_model,
            "res_id": activity.res_id,
            "open_task": env._("Open the task"),
            "partner_id": partner.id,
            "open_customer": env._("Open %(customer)s", customer=partner.name),
        }

    def _escalation_brief(self):
        """What a salesperson needs to step in, in the language of the
        environment: the customer and how to reach it, its overdue total,
        its oldest invoice, and what the collector asks."""
        self.ensure_one()
        env = self.env
        partner = self.partner_id
        invoices = self.line_ids.filtered(
            lambda line: line.move_id.move_type == "out_invoice"
        )
        oldest = max(invoices, key=lambda line: line.days_overdue, default=None)
        contact = " · ".join(
            value for value in (partner.phone, partner.email) if value
        ) or env._("no phone or email on record")
        rows = [
            (env._("Customer"), f"{partner.name} ({contact})"),
            (
                env._("Overdue"),
                env._(
                    "%(amount)s on %(count)s invoice(s)",
                    amount=format_amount(env, self.amount_overdue, self.currency_id),
                    count=len(invoices),
                ),
            ),
        ]
        if oldest:
            rows.append(
                (
                    env._("Oldest invoice"),
                    env._(
                        "%(invoice)s, due %(date)s, %(days)s days late, %(amount)s left to pay",
                        invoice=oldest.move_id.name,
                        date=format_date(env, oldest.date_maturity),
                        days=oldest.days_overdue,
                        amount=format_amount(
                            env, oldest.amount_residual, self.currency_id
                        ),
                    ),
                )
            )
        collector = partner._credit_dunning_collector(self.company_id)
        ask = env._(
            "%(collector)s asks you to call the customer today, find out why it "
            "has not paid and get a payment date, then note the date on the task "
            "(or mark it done). You know the customer: a call from you is often "
            "what makes it pay.",
            collector=collector.name or env._("The credit controller"),
        )
        return Markup("<table>%s</table><p>%s</p>") % (
            Markup().join(
                Markup("<tr><td style='padding-right:12px'>%s</td><td>%s</td></tr>")
                % row
                for row in rows
            ),
            ask,
        )

    def _salesperson(self):
        self.ensure_one()
        return self.partner_id.user_id or self.line_ids.move_id.invoice_user_id[:1]

    def _escalation_task(self):
        """The escalation to the customer's salesperson (else the
        collector), emailed to them as Odoo does for an activity assigned to
        someone else."""
        self.ensure_one()
        salesperson = self._salesperson() or self.partner_id._credit_dunning_collector(
            self.company_id
        )
        deadline = fields.Date.add(
            self.date, days=self.level_id.policy_id.escalation_delay_days
        )
        return self._task(
            "credit_dunning.mail_activity_type_dunning_escalation",
            salesperson,
            lambda env: env._(
                "Your customer %(partner)s is late paying: please step in by %(date)s",
                partner=self.partner_id.name,
                date=format_date(env, deadline),
            ),
            lambda env: self.with_env(env)._escalation_brief(),
            deadline=deadline,
            notify=True,
        )

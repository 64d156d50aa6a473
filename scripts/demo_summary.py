# Run inside `odoo shell` by scripts/demo, while the demo's web server runs
# (CREDIT_DUNNING_DEMO_URL): trigger the daily dunning cron once, then print
# per customer the level reached, what was sent and who is on hold.
# ruff: noqa: F821  (env is provided by odoo shell)
import os
import pathlib

url = os.environ.get("CREDIT_DUNNING_DEMO_URL")
if url:
    # links in the emails, and the styles wkhtmltopdf fetches for the PDFs
    env["ir.config_parameter"].set_param("web.base.url", url)
    env.cr.commit()

cron = env.ref("credit_dunning.ir_cron_dunning_run")
cron.method_direct_trigger()
env.cr.commit()
env.invalidate_all()

company = env.company
comms = env["credit.dunning.communication"].search([("company_id", "=", company.id)])
partners = env["res.partner"].search(
    [("customer_rank", ">", 0), ("is_company", "=", True)], order="name"
)
promises = env["credit.dunning.promise"].search([("state", "=", "open")])
states = dict(comms._fields["state"]._description_selection(env))
langs = dict(env["res.lang"].get_installed())
rows = []
for partner in partners:
    comm = comms.filtered(lambda c, p=partner: c.partner_id == p)[:1]
    flags = []
    if partner.credit_hold:
        flags.append("ON HOLD")
    if partner.cash_only:
        flags.append("CASH ONLY")
    if partner.dunning_excluded:
        flags.append("not dunned")
    disputed = env["account.move"].search_count(
        [("commercial_partner_id", "=", partner.id), ("dunning_dispute", "=", True)]
    )
    if disputed:
        flags.append(f"{disputed} disputed")
    promise = promises.filtered(lambda p, partner=partner: p.partner_id == partner)[:1]
    if promise:
        flags.append(f"promise to pay by {promise.date}")
    if partner.credit_over_limit:
        flags.append("over limit")
    if not comm and not flags and not partner.credit_exposure:
        continue
    rows.append(
        (
            partner.name,
            langs.get(partner.lang, partner.lang or "-").split(" /")[0],
            comm.level_id.name or "-",
            comm.channels or "-",
            states.get(comm.state, "-") if comm else "-",
            (comm.recipient_id.email or "(no email)") if comm else "-",
            ", ".join(flags) or "-",
            f"{partner.credit_exposure:,.2f} {company.currency_id.symbol}",
        )
    )
headers = (
    "Customer",
    "Language",
    "Level reached",
    "Sent / done",
    "Outcome",
    "To",
    "Status",
    "Exposure",
)
widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
line = "  ".join(f"{{:<{w}}}" for w in widths)
print()
print(
    f"Dunning run of {company.name} ({company.country_id.name}, "
    f"{company.currency_id.name}, chart “{company.chart_template}”): "
    f"{len(comms)} reminder(s)"
)
print(line.format(*headers))
print(line.format(*("-" * w for w in widths)))
for row in rows:
    print(line.format(*row))

blocked = (
    env["sale.order"]
    .search([("state", "in", ("draft", "sent"))], order="name")
    .filtered("credit_check_message")
)
for order in blocked:
    print(f"\nQuotation {order.name} for {order.partner_id.name} cannot be confirmed:")
    print("  " + order.credit_check_message.replace("\n", "\n  "))

documents = comms.attachment_id
print(f"\n{len(documents)} letter(s) and statement(s) attached to the reminders:")
for attachment in documents.sorted("name"):
    print(
        f"  {attachment.name}  ({attachment.mimetype}, {attachment.file_size:,} bytes)"
    )
# the emails queued by the run go to the demo's mail server, which saves them
env["mail.mail"].process_email_queue()
env.cr.commit()
mail_dir = os.environ.get("CREDIT_DUNNING_DEMO_MAIL_DIR")
saved = len(list(pathlib.Path(mail_dir).glob("*.eml"))) if mail_dir else 0
activities = env["mail.activity"].search(
    [("res_model", "in", ("credit.dunning.communication", "credit.dunning.promise"))]
)
if mail_dir:
    print(f"{saved} email(s) saved, not sent, in {mail_dir}")
print(f"{len(activities)} task(s) for the collector and the sales rep:")
for activity in activities.sorted(lambda a: (a.user_id.name, a.summary or "")):
    print(f"  {activity.user_id.name}: {activity.summary}")
print(
    "\nIn Odoo: Invoicing > Credit Control > Reminders (and Letters to Print); "
    "a customer's Credit Control tab; Sales > Orders > Quotations."
)
not_pdf = documents.filtered(lambda a: a.mimetype != "application/pdf")
if not_pdf:
    raise SystemExit(
        "These documents are not PDFs (is wkhtmltopdf installed, and the web "
        "server reachable?): " + ", ".join(not_pdf.mapped("name"))
    )
env.cr.commit()

# Run inside `odoo shell` by scripts/demo: trigger the daily dunning cron
# once, then print per customer what happened.
# ruff: noqa: F821  (env is provided by odoo shell)
cron = env.ref("credit_dunning.ir_cron_dunning_run")
cron.method_direct_trigger()
env.cr.commit()
env.invalidate_all()

company = env.company
comms = env["credit.dunning.communication"].search([("company_id", "=", company.id)])
partners = env["res.partner"].search(
    [("customer_rank", ">", 0), ("is_company", "=", True)], order="name"
)
rows = []
for partner in partners:
    partner_comms = comms.filtered(lambda c, p=partner: c.partner_id == p)
    comm = partner_comms[:1]
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
    if not comm and not flags and not partner.credit_exposure:
        continue
    rows.append(
        (
            partner.name,
            comm.level_id.name or "-",
            comm.channels or "-",
            dict(comm._fields["state"].selection).get(comm.state, "-") if comm else "-",
            ", ".join(flags) or "-",
            f"{partner.credit_exposure:,.2f}",
        )
    )
headers = ("Customer", "Level reached", "Sent / done", "Outcome", "Status", "Exposure")
widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
line = "  ".join(f"{{:<{w}}}" for w in widths)
print()
print(f"Dunning run of {company.name}: {len(comms)} reminder(s)")
print(line.format(*headers))
print(line.format(*("-" * w for w in widths)))
for row in rows:
    print(line.format(*row))
blocked = (
    env["sale.order"]
    .search([("state", "in", ("draft", "sent"))])
    .filtered("credit_check_message")
)
for order in blocked:
    print(f"\nQuotation {order.name} for {order.partner_id.name} cannot be confirmed:")
    print("  " + order.credit_check_message.replace("\n", "\n  "))
mails = env["mail.mail"].search_count([("state", "=", "outgoing")])
activities = env["mail.activity"].search_count(
    [("res_model", "=", "credit.dunning.communication")]
)
print(f"\n{mails} email(s) queued, {activities} task(s) for collectors and sales reps.")
env.cr.commit()

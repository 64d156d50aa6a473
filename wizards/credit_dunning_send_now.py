from odoo import api, fields, models

# The context key that restricts a dunning run to some customers (commercial
# entities' ids). Set by "Send Reminder Now" only: the daily run never has it.
PARTNERS_KEY = "credit_dunning_partner_ids"


class CreditDunningRun(models.Model):
    _inherit = "credit.dunning.run"

    def _plan(self, company, today):
        # the same run for the selected customers only: what it sends, and
        # how (once per invoice and level, conflicts, held reminders), is the
        # daily run's
        plan = super()._plan(company, today)
        only = self.env.context.get(PARTNERS_KEY)
        if only is None:
            return plan
        only = set(only)
        return {pid: data for pid, data in plan.items() if pid in only}


class CreditDunningSendNow(models.TransientModel):
    """Send Reminder Now, from the Action menu of the customers and invoices
    lists: the dunning run, now, for the selected customers only."""

    _name = "credit.dunning.send.now"
    _description = "Send the Reminders of Some Customers Now"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        readonly=True,
        help="The selected customers (the companies of the selected contacts and "
        "invoices).",
    )
    description = fields.Text(compute="_compute_description")

    @api.model
    def default_get(self, fields_list):
        result = super().default_get(fields_list)
        context = self.env.context
        model, ids = context.get("active_model"), context.get("active_ids")
        if (
            "partner_ids" in fields_list
            and "partner_ids" not in result
            and ids
            and model in ("res.partner", "account.move")
        ):
            # rights first, before reading what was selected
            self.env["credit.dunning.run"]._check_run_rights()
            records = self.env[model].browse(ids)
            records.check_access("read")
            if model == "account.move":
                records = records.filtered(
                    lambda m: m.is_sale_document(include_receipts=True)
                )
            result["partner_ids"] = [
                fields.Command.set(records.commercial_partner_id.ids)
            ]
        return result

    @api.depends("partner_ids")
    def _compute_description(self):
        Run = self.env["credit.dunning.run"]
        Run._check_run_rights()
        today = fields.Date.context_today(self)
        for wizard in self:
            due = set()
            for company in self.env.companies:
                due |= set(
                    Run.sudo()
                    .with_context(**{PARTNERS_KEY: wizard.partner_ids.ids})
                    ._plan(company, today)
                )
            wizard.description = self.env._(
                "%(due)s of the %(count)s selected customer(s) reach a new dunning "
                "level today: the dunning run sends them their reminders now, as "
                "the daily run would (once per invoice and level). The others get "
                "nothing.",
                due=len(due),
                count=len(wizard.partner_ids),
            )

    @api.model_create_multi
    def create(self, vals_list):
        # rights first: a salesperson or a portal user gets an AccessError
        # before any record exists
        self.env["credit.dunning.run"]._check_run_rights()
        return super().create(vals_list)

    def action_send(self):
        self.ensure_one()
        Run = self.env["credit.dunning.run"]
        Run._check_run_rights()
        return Run.with_context(
            **{PARTNERS_KEY: self.partner_ids.commercial_partner_id.ids}
        ).action_run_now()

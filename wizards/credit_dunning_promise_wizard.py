from odoo import api, fields, models


class CreditDunningPromiseWizard(models.TransientModel):
    _name = "credit.dunning.promise.wizard"
    _description = "Record a Payment Promise"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    communication_id = fields.Many2one(
        "credit.dunning.communication", string="Reminder"
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('payment_state', 'in', ('not_paid', 'partial')),"
        " ('commercial_partner_id', '=', partner_id)]",
    )
    date = fields.Date(string="Promised Date", required=True)
    amount = fields.Monetary(
        string="Promised Amount", compute="_compute_amount", store=True, readonly=False
    )
    grace_days = fields.Integer(
        string="Grace Period (days)",
        compute="_compute_grace_days",
        store=True,
        readonly=False,
        help="Days after the promised date before the promise is broken.",
    )
    note = fields.Text()

    @api.depends("move_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.move_ids.mapped("amount_residual_signed"))

    @api.depends("partner_id", "company_id")
    def _compute_grace_days(self):
        for wizard in self:
            policy = wizard.partner_id and wizard.partner_id._credit_dunning_policy(
                wizard.company_id
            )
            wizard.grace_days = policy.promise_grace_days if policy else 3

    def action_record(self):
        self.ensure_one()
        promise = self.env["credit.dunning.promise"].create(
            {
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "move_ids": [fields.Command.set(self.move_ids.ids)],
                "date": self.date,
                "amount": self.amount,
                "grace_days": self.grace_days,
                "note": self.note,
                "communication_id": self.communication_id.id,
            }
        )
        call_type = self.env.ref("mail.mail_activity_data_call")
        self.communication_id.activity_ids.filtered(
            lambda a: a.activity_type_id == call_type
        ).action_feedback(feedback=self.env._("Payment promised for %s", self.date))
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.dunning.promise",
            "res_id": promise.id,
            "view_mode": "form",
        }

from odoo import api, fields, models


class CreditOverrideWizard(models.TransientModel):
    _name = "credit.override.wizard"
    _description = "Approve a Blocked Order"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id", string="Customer"
    )
    currency_id = fields.Many2one(related="order_id.company_id.currency_id")
    amount = fields.Monetary(
        string="Amount Approved",
        compute="_compute_amount",
        help="The order may be confirmed up to this total, in company currency; "
        "a bigger total needs a new approval.",
    )
    problems = fields.Text(string="Refused Because", compute="_compute_problems")
    reason = fields.Text(required=True)

    @api.depends("order_id.amount_total", "order_id.currency_rate")
    def _compute_amount(self):
        for wizard in self:
            order = wizard.order_id
            wizard.amount = order.amount_total / (order.currency_rate or 1.0)

    @api.depends("order_id")
    def _compute_problems(self):
        for wizard in self:
            wizard.problems = (
                wizard.order_id.credit_check_message
                or wizard.order_id.credit_block_reason
            )

    @api.model_create_multi
    def create(self, vals_list):
        # rights first: a salesperson or a portal user gets an AccessError
        # before any record exists
        self.env["sale.order"]._credit_check_approver()
        return super().create(vals_list)

    def action_approve(self):
        # rights first, before reading the wizard or the order
        self.env["sale.order"]._credit_check_approver()
        self.ensure_one()
        self.order_id._credit_approve(self.reason)
        return {"type": "ir.actions.act_window_close"}

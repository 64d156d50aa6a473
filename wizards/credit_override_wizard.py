from odoo import fields, models


class CreditOverrideWizard(models.TransientModel):
    _name = "credit.override.wizard"
    _description = "Approve a Blocked Order"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    problems = fields.Text(compute="_compute_problems")
    reason = fields.Text(required=True)

    def _compute_problems(self):
        for wizard in self:
            wizard.problems = (
                wizard.order_id.credit_check_message
                or wizard.order_id.credit_block_reason
            )

    def action_approve(self):
        self.ensure_one()
        self.order_id._credit_approve(self.reason)
        return {"type": "ir.actions.act_window_close"}

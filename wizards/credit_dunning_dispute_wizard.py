from odoo import fields, models

from ..dunning_levels.account_move import DISPUTE_REASONS


class CreditDunningDisputeWizard(models.TransientModel):
    _name = "credit.dunning.dispute.wizard"
    _description = "Dispute Invoices"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason_code = fields.Selection(
        DISPUTE_REASONS, string="Category", required=True, default="other"
    )
    reason = fields.Char(required=True)

    def action_dispute(self):
        self.ensure_one()
        self.move_ids._dunning_set_dispute(self.reason, reason_code=self.reason_code)
        return {"type": "ir.actions.act_window_close"}

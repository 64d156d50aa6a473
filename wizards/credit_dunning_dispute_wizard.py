from odoo import fields, models


class CreditDunningDisputeWizard(models.TransientModel):
    _name = "credit.dunning.dispute.wizard"
    _description = "Dispute Invoices"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Char(required=True)

    def action_dispute(self):
        self.ensure_one()
        self.move_ids._dunning_set_dispute(self.reason)
        return {"type": "ir.actions.act_window_close"}

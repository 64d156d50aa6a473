from odoo import fields, models


class CreditFlagWizard(models.TransientModel):
    _name = "credit.flag.wizard"
    _description = "Credit Hold / Cash-Only Change"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    flag = fields.Selection(
        [("credit_hold", "Credit Hold"), ("cash_only", "Cash Only")],
        required=True,
        readonly=True,
    )
    value = fields.Boolean(readonly=True)
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        self.partner_id._credit_set_flags(
            self.reason, origin="manual", **{self.flag: self.value}
        )
        return {"type": "ir.actions.act_window_close"}

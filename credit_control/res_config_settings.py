from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_block_overdue = fields.Boolean(
        related="company_id.credit_block_overdue", readonly=False
    )
    credit_overdue_tolerance_days = fields.Integer(
        related="company_id.credit_overdue_tolerance_days", readonly=False
    )
    credit_block_invoice_on_hold = fields.Boolean(
        related="company_id.credit_block_invoice_on_hold", readonly=False
    )
    credit_dunning_policy_id = fields.Many2one(
        related="company_id.credit_dunning_policy_id",
        readonly=False,
        domain="[('company_id', 'in', [False, company_id])]",
    )
    credit_portal_validity_days = fields.Integer(
        related="company_id.credit_portal_validity_days", readonly=False
    )

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_penalty_rate_type = fields.Selection(
        related="company_id.credit_penalty_rate_type", readonly=False
    )
    credit_penalty_margin = fields.Float(
        related="company_id.credit_penalty_margin", readonly=False
    )
    credit_contractual_rate = fields.Float(
        related="company_id.credit_contractual_rate", readonly=False
    )
    credit_legal_interest_rate = fields.Float(
        related="company_id.credit_legal_interest_rate", readonly=False
    )
    credit_contractual_rate_warning = fields.Char(
        related="company_id.credit_contractual_rate_warning"
    )
    credit_recovery_indemnity_applies = fields.Boolean(
        related="company_id.credit_recovery_indemnity_applies", readonly=False
    )
    credit_recovery_indemnity = fields.Float(
        related="company_id.credit_recovery_indemnity", readonly=False
    )

from odoo import api, fields, models


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
    credit_reference_rate_missing = fields.Char(
        compute="_compute_credit_reference_rate_missing"
    )

    @api.depends("company_id", "credit_penalty_rate_type")
    def _compute_credit_reference_rate_missing(self):
        for settings in self:
            company = settings.company_id
            settings.credit_reference_rate_missing = (
                # the type chosen on the screen, saved or not
                company._credit_missing_rate_message(reference=True)
                if company and settings.credit_penalty_rate_type == "reference"
                else False
            )

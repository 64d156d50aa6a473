from odoo import api, fields, models
from odoo.tools import format_date

from .penalties import MissingRateError, half_year_start


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
        today = fields.Date.context_today(self)
        for settings in self:
            settings.credit_reference_rate_missing = False
            company = settings.company_id
            if settings.credit_penalty_rate_type != "reference" or not company:
                continue
            start = half_year_start(today)
            try:
                company._credit_penalty_rate_for()(start)
            except MissingRateError:
                settings.credit_reference_rate_missing = self.env._(
                    "No reference rate for the half-year starting %s: formal notices "
                    "and penalty invoices wait until it is added.",
                    format_date(self.env, start),
                )

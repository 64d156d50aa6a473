from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_behaviour_window_months = fields.Integer(
        related="company_id.credit_behaviour_window_months", readonly=False
    )
    credit_segment_min_paid = fields.Integer(
        related="company_id.credit_segment_min_paid", readonly=False
    )
    credit_segment_late_days = fields.Float(
        related="company_id.credit_segment_late_days", readonly=False
    )
    credit_segment_variable_days = fields.Float(
        related="company_id.credit_segment_variable_days", readonly=False
    )

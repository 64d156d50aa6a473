from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_review_threshold = fields.Monetary(
        related="company_id.credit_review_threshold",
        currency_field="currency_id",
        readonly=False,
    )

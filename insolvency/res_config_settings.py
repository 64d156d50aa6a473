from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_retention_of_title = fields.Boolean(
        related="company_id.credit_retention_of_title", readonly=False
    )
    credit_bodacc_fetch = fields.Boolean(
        related="company_id.credit_bodacc_fetch", readonly=False
    )
    credit_bodacc_last_fetch = fields.Date(
        related="company_id.credit_bodacc_last_fetch"
    )

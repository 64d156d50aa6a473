from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_signatory_name = fields.Char(
        related="company_id.credit_signatory_name", readonly=False
    )
    credit_signatory_title = fields.Char(
        related="company_id.credit_signatory_title", readonly=False
    )
    credit_signature = fields.Image(
        related="company_id.credit_signature", readonly=False
    )

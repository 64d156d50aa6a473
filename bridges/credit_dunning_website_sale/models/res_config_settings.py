from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_webshop_accept_prepaid_on_hold = fields.Boolean(
        related="company_id.credit_webshop_accept_prepaid_on_hold", readonly=False
    )

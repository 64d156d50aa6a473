from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_webshop_accept_prepaid_on_hold = fields.Boolean(
        string="Accept Prepaid Webshop Orders from Customers on Hold",
        help="A customer on credit hold may still pay a webshop order in full "
        "online: the order is confirmed (it extends no credit) and the credit "
        "managers are told.",
    )

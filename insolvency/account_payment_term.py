from odoo import fields, models


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    credit_retention_of_title = fields.Boolean(
        string="Retention of Title",
        help="Invoices with these terms keep the ownership of the goods until "
        "paid: when the customer goes under, the goods are claimed within three "
        "months of the publication.",
    )

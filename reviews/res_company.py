from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_review_threshold = fields.Monetary(
        currency_field="currency_id",
        help="A new customer (no posted invoice, no approved credit review) "
        "cannot have orders above this amount confirmed before a credit "
        "manager approves a credit review. 0 turns the rule off.",
    )

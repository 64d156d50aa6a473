from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_block_overdue = fields.Boolean(
        string="Block Orders of Late Payers",
        default=True,
        help="Refuse to confirm orders of customers with invoices overdue for "
        "longer than the tolerance.",
    )
    credit_overdue_tolerance_days = fields.Integer(
        string="Overdue Tolerance (days)",
        default=15,
        help="Orders are refused when an invoice is overdue for more than this "
        "number of days.",
    )
    credit_block_invoice_on_hold = fields.Boolean(
        string="Refuse Invoices for Customers on Hold",
        help="Also refuse to post customer invoices of customers on credit hold.",
    )
    credit_dunning_policy_id = fields.Many2one(
        "credit.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', 'in', [False, id])]",
    )
    credit_portal_validity_days = fields.Integer(
        string="Account Page Link Validity (days)",
        default=60,
        help="How long the link to the customer's account page carried by a "
        "reminder stays valid (each new reminder renews it).",
    )

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditDunningPolicy(models.Model):
    _inherit = "credit.dunning.policy"

    legal_threshold = fields.Float(
        string="Legal Action Threshold",
        default=1500.0,
        help="At the hand-off level, the customer is ready for legal action or a "
        "collection agency only when its overdue invoices, their late-payment "
        "interest and recovery indemnities reach this amount (company currency).",
    )

    @api.constrains("legal_threshold")
    def _check_legal_threshold(self):
        if any(policy.legal_threshold < 0 for policy in self):
            raise ValidationError(
                self.env._("The legal action threshold cannot be negative.")
            )

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The customer's salary day: a fact about the customer, the same for
    # every company, decided on the commercial entity.
    credit_payday = fields.Integer(
        string="Payday",
        tracking=True,
        help="Day of the month the customer can pay (e.g. 5, after the salary). "
        "Invoices fall due on the first such day on or after the payment "
        "term's due date, unless that is later than the legal limit (60 days "
        "from the invoice date, or 45 days end of month). 31 means the last "
        "day of shorter months; 0: the payment term's date.",
    )

    @api.constrains("credit_payday")
    def _check_credit_payday(self):
        for partner in self:
            if not 0 <= partner.credit_payday <= 31:
                raise ValidationError(
                    self.env._(
                        "The payday of %(customer)s is a day of the month, from 1 "
                        "to 31 (or 0 for none): not %(day)s.",
                        customer=partner.display_name,
                        day=partner.credit_payday,
                    )
                )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["credit_payday"]

    @api.model
    def _credit_protected_fields(self):
        return super()._credit_protected_fields() | {
            "credit_payday": "credit_dunning.group_credit_control_user"
        }

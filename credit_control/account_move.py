from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        on_hold = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.company_id.credit_block_invoice_on_hold
                and m.commercial_partner_id.credit_hold
            )
        )
        if on_hold:
            raise UserError(
                self.env._(
                    "Credit control refuses to post invoices for customers on "
                    "credit hold: %s",
                    ", ".join(
                        f"{move.commercial_partner_id.display_name} "
                        f"({move.commercial_partner_id.credit_hold_reason or '-'})"
                        for move in on_hold
                    ),
                )
            )
        return super()._post(soft=soft)

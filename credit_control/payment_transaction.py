from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A quotation paid online that credit control refuses (customer on
        hold, overdue invoices) is parked for a credit manager instead of
        breaking the payment's processing: the money is recorded, the order
        waits for approval, and its salesperson and the credit managers are
        told."""
        refused = self.browse()
        for tx in self:
            quotation = tx.sale_order_ids.filtered(
                lambda so: so.state in ("draft", "sent")
            )
            if len(tx.sale_order_ids) != 1 or not quotation:
                continue
            if not quotation._is_confirmation_amount_reached():
                continue
            problems = quotation.sudo()._credit_check_problems()
            if problems:
                quotation.sudo()._credit_park(problems)
                refused |= tx
        return super(
            PaymentTransaction, self - refused
        )._check_amount_and_confirm_order()

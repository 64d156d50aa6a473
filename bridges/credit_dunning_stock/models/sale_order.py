from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _credit_delivery_paid_amount(self):
        """What the customer has paid for the order, in its currency: online
        (its transactions) or on its invoices, whichever says more."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_invoice"
                and m.currency_id == self.currency_id
            )
        )
        paid_invoices = sum(
            invoice.amount_total - invoice.amount_residual for invoice in invoices
        )
        return max(self.amount_paid, paid_invoices)

    def _credit_delivery_paid(self):
        """Paid in full online (the cash-only rule of the confirmation), or
        its invoices cover the order and are paid: a cash-only customer's
        goods may leave."""
        self.ensure_one()
        if self._credit_is_prepaid():
            return True
        return (
            self.currency_id.compare_amounts(
                self._credit_delivery_paid_amount(), self.amount_total
            )
            >= 0
        )

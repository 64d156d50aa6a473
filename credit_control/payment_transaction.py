from odoo import models
from odoo.tools import format_amount


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

    def _post_process(self):
        """A payment of invoices made online (account page or Odoo's invoice
        portal) is told to the collector in the customer's chatter and
        logged on the customer's account page link."""
        already = {tx.id for tx in self if tx.is_post_processed}
        result = super()._post_process()
        paid = self.filtered(
            lambda tx: (
                tx.id not in already
                and tx.state == "done"
                and tx.invoice_ids
                and tx.operation != "validation"
            )
        )
        for tx in paid:
            customer = tx.invoice_ids.commercial_partner_id[:1]
            # paid by the customer, in its language; the note is for the staff
            staff = customer.with_company(tx.company_id)._credit_staff_env()
            body = staff._(
                "Paid online: %(amount)s for %(invoices)s (%(reference)s)",
                amount=format_amount(staff, tx.amount, tx.currency_id),
                invoices=", ".join(tx.invoice_ids.mapped("name")),
                reference=tx.reference,
            )
            customer._credit_log_note(body)
            access = (
                self.env["credit.dunning.access"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", customer.id),
                        ("company_id", "=", tx.company_id.id),
                        ("revoked", "=", False),
                    ],
                    limit=1,
                )
            )
            if access:
                access._log("paid", body)
        return result

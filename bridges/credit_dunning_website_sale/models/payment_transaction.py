import logging

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount

_logger = logging.getLogger(__name__)

ACTIVITY_TYPE = "credit_dunning.mail_activity_type_credit_blocked"


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """Money that arrives for an order credit control refuses is never
        lost: the confirmation is tried in a savepoint, a refusal parks the
        order (the main addon parks those it sees coming), and the order,
        the transaction and the credit managers' task say it was paid."""
        confirmed = self.env["sale.order"]
        for tx in self:
            try:
                with self.env.cr.savepoint():
                    confirmed |= super(
                        PaymentTransaction, tx
                    )._check_amount_and_confirm_order()
            except UserError as error:
                quotations = tx.sale_order_ids.filtered(
                    lambda so: so.state in ("draft", "sent")
                )
                _logger.info(
                    "Paid order %s not confirmed: %s", quotations.mapped("name"), error
                )
                problems = quotations.sudo()._credit_check_problems()
                quotations.sudo()._credit_park(
                    {
                        order.id: problems.get(order.id) or [str(error)]
                        for order in quotations
                    }
                )
        self._credit_webshop_tell_paid_refused()
        return confirmed

    def _credit_webshop_tell_paid_refused(self):
        """For the paid quotations credit control left unconfirmed: a note on
        the transaction and on the order, and the credit managers' task says
        the money is there (approve and confirm, or refund)."""
        activity_type = self.env.ref(ACTIVITY_TYPE)
        managers = self.env["res.partner"]._credit_managers()
        for tx in self.sudo().filtered(
            lambda t: t.state in ("authorized", "done") and t.operation != "validation"
        ):
            for order in tx.sale_order_ids.filtered(
                lambda so: so.state in ("draft", "sent") and so.credit_blocked
            ):
                customer = order._credit_webshop_customer()
                staff = customer.with_company(order.company_id)._credit_staff_env()
                note = staff._(
                    "Paid online (%(amount)s, %(reference)s), but credit control "
                    "refuses to confirm %(order)s: %(reason)s. A credit manager "
                    "approves and confirms the order, or refunds the payment.",
                    amount=format_amount(staff, tx.amount, tx.currency_id),
                    reference=tx.reference,
                    order=order.name,
                    reason=(order.credit_block_reason or "-").replace("\n", "; "),
                )
                tx.state_message = note
                order.with_env(staff).message_post(
                    body=note, subtype_xmlid="mail.mt_note"
                )
                order.activity_ids.filtered(
                    lambda a, t=activity_type: (
                        a.activity_type_id == t and a.user_id in managers
                    )
                ).write(
                    {
                        "summary": staff._("Paid order refused by credit control"),
                        "note": note,
                    }
                )

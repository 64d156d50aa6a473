from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------
    def action_confirm(self):
        accepted = self._credit_webshop_accepted_on_hold()
        result = super().action_confirm()
        accepted._credit_webshop_note_accepted_on_hold()
        return result

    def _credit_hold_waived(self):
        # a webshop order paid in full extends no credit: the company's
        # setting lets it through the hold (the other rules still apply)
        return super()._credit_hold_waived() or self._credit_webshop_prepaid_on_hold()

    def _credit_is_prepaid(self):
        # the payment page asks whether the order, once paid in full, would
        # be confirmed
        if self.env.context.get("credit_webshop_assume_paid"):
            self.ensure_one()
            return bool(self.amount_total)
        return super()._credit_is_prepaid()

    def _credit_webshop_customer(self):
        self.ensure_one()
        return (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _credit_webshop_prepaid_on_hold(self):
        """A webshop order of a customer on hold, paid in full, that the
        company's setting accepts."""
        self.ensure_one()
        return bool(
            self.website_id
            and self.company_id.credit_webshop_accept_prepaid_on_hold
            and self._credit_webshop_customer().credit_hold
            and self._credit_is_prepaid()
        )

    def _credit_webshop_accepted_on_hold(self):
        """The quotations about to be confirmed only because the setting
        accepts prepaid webshop orders from customers on hold."""
        return self.filtered(
            lambda o: (
                o.state in ("draft", "sent")
                and not o.credit_override_user_id
                and o._credit_webshop_prepaid_on_hold()
            )
        )

    def _credit_webshop_note_accepted_on_hold(self):
        managers = self.env["res.partner"]._credit_managers()
        for order in self.sudo().filtered(lambda o: o.state == "sale"):
            customer = order._credit_webshop_customer()
            staff = customer.with_company(order.company_id)._credit_staff_env()
            order.with_env(staff).message_post(
                body=staff._(
                    "Confirmed although %(customer)s is on credit hold: paid in "
                    "full online (%(amount)s), and the company accepts prepaid "
                    "webshop orders from customers on hold.",
                    customer=customer.display_name,
                    amount=format_amount(staff, order.amount_paid, order.currency_id),
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=managers.partner_id.ids,
            )

    # ------------------------------------------------------------------
    # Webshop checkout
    # ------------------------------------------------------------------
    def _check_cart_is_ready_to_be_paid(self):
        # the payment route, whatever the page showed: no money is taken for
        # an order credit control would not confirm
        block = self._credit_webshop_block()
        if block:
            raise ValidationError(
                self.env._(
                    "%(title)s\n%(message)s",
                    title=block["title"],
                    message=block["message"],
                )
            )
        return super()._check_cart_is_ready_to_be_paid()

    def _credit_webshop_block(self):
        """What the customer reads when credit control would refuse this
        quotation even paid in full (on hold, overdue invoices): a dict with
        title, message, held, overdue (company currency), currency; empty
        when it may be paid. No query for a customer with nothing to check."""
        self.ensure_one()
        if (
            self.state not in ("draft", "sent")
            or not self.partner_id
            or self.partner_id == self.website_id.sudo().user_id.partner_id
        ):
            return {}
        order = self.sudo()
        customer = order._credit_webshop_customer()
        company = order.company_id
        if not customer.credit_hold and not company.credit_block_overdue:
            return {}
        if not order.with_context(
            credit_webshop_assume_paid=True
        )._credit_check_problems():
            return {}
        parts = customer._credit_exposure_parts(customer, company)
        overdue = parts.get(customer.id, {}).get("overdue", 0.0)
        currency = company.currency_id
        amount = format_amount(self.env, overdue, currency)
        if customer.credit_hold:
            title = self.env._("Your account is on hold")
            message = self.env._(
                "Orders cannot be paid online while your account is on hold. "
                "Overdue amount: %(amount)s. Please settle your account first.",
                amount=amount,
            )
        else:
            title = self.env._("Your account has overdue invoices")
            message = self.env._(
                "Orders cannot be paid online while invoices are overdue. "
                "Overdue amount: %(amount)s. Please settle your account first.",
                amount=amount,
            )
        return {
            "title": title,
            "message": message,
            "held": bool(customer.credit_hold),
            "overdue": overdue,
            "currency": currency,
        }

    def _credit_webshop_allowed_providers(self, providers):
        """(providers allowed, why the others are not): a cash-only customer,
        one on hold (when prepaid orders are accepted) or one whose exposure
        would pass its limit pays at once, never later (wire transfer, cash
        on delivery, in store)."""
        self.ensure_one()
        later = providers._credit_pays_later()
        if not later or self.state not in ("draft", "sent") or not self.partner_id:
            return providers, ""
        order = self.sudo()
        customer = order._credit_webshop_customer()
        company = order.company_id
        if customer.cash_only:
            return providers - later, self.env._("cash-only customer")
        if customer.credit_hold:
            return providers - later, self.env._("customer on credit hold")
        limit = (
            customer.with_company(company).credit_limit
            if company.account_use_credit_limit
            else 0.0
        )
        if not limit:
            return providers, ""
        data = customer._credit_exposure_parts(customer, company).get(customer.id, {})
        exposure = (
            data.get("receivable", 0.0)
            + data.get("uninvoiced", 0.0)
            + data.get("draft", 0.0)
            + order.amount_total / (order.currency_rate or 1.0)
        )
        if company.currency_id.compare_amounts(exposure, limit) > 0:
            return providers - later, self.env._("credit limit exceeded")
        return providers, ""

    def _credit_webshop_awaits_review(self):
        """Paid online, but left a quotation by credit control."""
        self.ensure_one()
        return bool(
            self.state in ("draft", "sent")
            and self.credit_blocked
            and self.transaction_ids.filtered(
                lambda tx: tx.state in ("authorized", "done")
            )
        )

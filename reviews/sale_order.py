from odoo import api, models
from odoo.tools import format_amount


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Deposit: Odoo's own online prepayment
    # ------------------------------------------------------------------
    @api.depends("partner_id", "partner_invoice_id")
    def _compute_require_payment(self):
        result = super()._compute_require_payment()
        for order, percent in self._credit_deposit_by_order().items():
            if percent > 0:
                order.require_payment = True
        return result

    @api.depends("partner_id", "partner_invoice_id")
    def _compute_prepayment_percent(self):
        result = super()._compute_prepayment_percent()
        for order, percent in self._credit_deposit_by_order().items():
            if percent > 0:
                order.prepayment_percent = order._credit_prepayment_percent(percent)
        return result

    def _credit_prepayment_percent(self, percent):
        """The deposit is a minimum: a company asking for more keeps it."""
        company = self.company_id
        current = company.prepayment_percent if company.portal_confirmation_pay else 0.0
        return max(current, percent / 100)

    def _credit_request_deposit(self):
        """Quotations made before a deposit was decided ask for it online too."""
        for order, percent in self._credit_deposit_by_order().items():
            if percent > 0:
                order.write(
                    {
                        "require_payment": True,
                        "prepayment_percent": order._credit_prepayment_percent(percent),
                    }
                )

    def _credit_deposit_by_order(self):
        """{quotation: deposit % (0-100) its customer must prepay}."""
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
        result = {}
        for company, orders in quotations.grouped("company_id").items():
            if not company:
                continue
            customers = {order: order._credit_review_customer() for order in orders}
            partners = self.env["res.partner"].union(*customers.values())
            percents = partners._credit_deposit_percents(company)
            for order, partner in customers.items():
                result[order] = percents.get(partner.id, 0.0)
        return result

    def _credit_review_customer(self):
        self.ensure_one()
        partner = self.partner_invoice_id or self.partner_id
        return partner.commercial_partner_id._origin

    # ------------------------------------------------------------------
    # Confirmation: review of a new customer, deposit paid
    # ------------------------------------------------------------------
    def _credit_check_problems_company(self, company):
        result = super()._credit_check_problems_company(company)
        customers = {order: order._credit_review_customer() for order in self}
        partners = self.env["res.partner"].union(*customers.values())
        threshold = company.credit_review_threshold
        new = (
            partners._credit_new_customers(company)
            if company.currency_id.compare_amounts(threshold, 0) > 0
            else partners.browse()
        )
        parts = new._credit_exposure_parts(new, company) if new else {}
        deposits = partners._credit_deposit_percents(company)
        pending = {}  # orders of the same batch for the same new customer
        for order in self:
            partner = customers[order]
            amount = order.amount_total / (order.currency_rate or 1.0)
            if order._credit_override_covers(amount):
                continue
            problems = []
            if partner in new:
                data = parts.get(partner.id, {})
                total = (
                    data.get("uninvoiced", 0.0)
                    + data.get("draft", 0.0)
                    + pending.get(partner.id, 0.0)
                    + amount
                )
                pending[partner.id] = pending.get(partner.id, 0.0) + amount
                if company.currency_id.compare_amounts(total, threshold) > 0:
                    problems.append(order._credit_review_problem(total, threshold))
            percent = deposits.get(partner.id, 0.0)
            if percent > 0:
                problem = order._credit_deposit_problem(percent)
                if problem:
                    problems.append(problem)
            if problems:
                result.setdefault(order.id, []).extend(problems)
        return result

    def _credit_review_problem(self, total, threshold):
        currency = self.company_id.currency_id
        return self.env._(
            "new customer without an approved credit review: orders of "
            "%(total)s exceed the review threshold of %(threshold)s; a credit "
            "manager approves a credit review of the customer first",
            total=format_amount(self.env, total, currency),
            threshold=format_amount(self.env, threshold, currency),
        )

    def _credit_deposit_problem(self, percent):
        """The refusal of a quotation whose deposit is not paid yet, or None."""
        self.ensure_one()
        currency = self.currency_id
        required = currency.round(self.amount_total * percent / 100)
        if currency.compare_amounts(self.amount_paid, required) >= 0:
            return None
        return self.env._(
            "deposit of %(percent)s %% required: %(required)s to pay online "
            "before confirmation, %(paid)s paid so far",
            percent=f"{percent:g}",
            required=format_amount(self.env, required, currency),
            paid=format_amount(self.env, self.amount_paid, currency),
        )

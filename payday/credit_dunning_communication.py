from odoo import models
from odoo.tools import format_amount, format_date, formatLang


class CreditDunningCommunication(models.Model):
    _inherit = "credit.dunning.communication"

    def _credit_early_discount_offers(self):
        """The early-payment discounts a reminder sent before the due date
        offers: one sentence per invoice listed whose payment term gives a
        discount still open on the reminder's date (not partially paid), in
        the language of the context (the customer's, when a template renders
        the reminder). Read by the invoice table of the reminder emails."""
        self.ensure_one()
        if self.level_id.offset_days >= 0:
            return []
        env = self.env
        offers = []
        invoices = self.line_ids.move_id.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m._is_eligible_for_early_payment_discount(m.currency_id, self.date)
            )
        )
        for invoice in invoices.sorted(lambda m: (m.invoice_date_due, m.id)):
            terms = invoice.line_ids.filtered(
                lambda line: (
                    line.display_type == "payment_term"
                    and line.discount_date
                    and line.discount_date >= self.date
                )
            )
            if not terms:
                continue
            currency = invoice.currency_id
            due = sum(terms.mapped("amount_currency"))
            to_pay = sum(terms.mapped("discount_amount_currency"))
            saving = currency.round(due - to_pay)
            if currency.compare_amounts(saving, 0.0) <= 0:
                continue
            percentage = invoice.invoice_payment_term_id.discount_percentage
            offers.append(
                env._(
                    "Pay by %(date)s and save %(saving)s (%(percentage)s %% "
                    "early-payment discount) on invoice %(invoice)s: "
                    "%(to_pay)s instead of %(due)s.",
                    date=format_date(env, min(terms.mapped("discount_date"))),
                    saving=format_amount(env, saving, currency),
                    percentage=formatLang(
                        env, percentage, digits=0 if percentage.is_integer() else 2
                    ),
                    invoice=invoice.name,
                    to_pay=format_amount(env, to_pay, currency),
                    due=format_amount(env, due, currency),
                )
            )
        return offers

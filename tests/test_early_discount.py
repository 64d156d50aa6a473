import re
from datetime import date
from html import unescape

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_amount

from .test_credit_dunning_run import DunningCommon

# invoiced on 1 March 2026, due on 11 March (10 days); the courtesy
# reminder goes 3 days before, on 8 March
INVOICE_DATE = date(2026, 3, 1)
COURTESY_DAY = date(2026, 3, 8)


@tagged("post_install", "-at_install")
class TestEarlyDiscount(DunningCommon):
    """The reminders sent before the due date tell the customer how much it
    saves by paying now, where the payment term offers an early-payment
    discount still open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_2_8 = cls._discount_term("10 Days, 2 % within 8 days", 2.0, 8)
        cls.term_3_5 = cls._discount_term("10 Days, 3 % within 5 days", 3.0, 5)

    @classmethod
    def _discount_term(cls, name, percentage, days):
        return cls.env["account.payment.term"].create(
            {
                "name": name,
                "early_discount": True,
                "discount_percentage": percentage,
                "discount_days": days,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 10}
                    )
                ],
            }
        )

    def _invoice_with_term(self, partner, term, amount):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": INVOICE_DATE,
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _amount(self, amount, lang="en_US"):
        return format_amount(self.env(context={"lang": lang}), amount, self.currency)

    def test_courtesy_reminder_says_what_paying_now_saves(self):
        offered = self._invoice_with_term(self.customer, self.term_2_8, 1234.50)
        expired = self._invoice_with_term(self.customer, self.term_3_5, 400.00)
        plain = self._invoice(self.customer, 300, INVOICE_DATE, due="2026-03-11")
        comm = self._run(COURTESY_DAY).communication_ids
        self.assertEqual(comm.level_id, self.levels[-3])
        self.assertEqual(comm.line_ids.move_id, offered | expired | plain)
        body = unescape(self._mails_to(self.customer).body_html)
        # 2 % of 1,234.50 is 24.69: 1,209.81 to pay by 9 March
        self.assertIn(
            f"Pay by 03/09/2026 and save {self._amount(24.69)} (2 % early-payment "
            f"discount) on invoice {offered.name}: {self._amount(1209.81)} instead "
            f"of {self._amount(1234.50)}.",
            body,
        )
        # the 3 % ended on 6 March; the invoice without a discount says nothing
        self.assertEqual(body.count("early-payment discount"), 1)
        self.assertNotIn(expired.name + ":", body)

        # after the due date the first reminder offers nothing
        first = self._run(date(2026, 3, 16)).communication_ids
        self.assertEqual(first.level_id, self.levels[5])
        body = unescape(self._mails_to(self.customer)[0].body_html)
        self.assertIn(offered.name, body)
        self.assertNotIn("early-payment discount", body)

    def test_partly_paid_invoice_has_no_discount_left(self):
        invoice = self._invoice_with_term(self.customer, self.term_2_8, 1000.0)
        self._pay(invoice, amount=100.0, pay_date=date(2026, 3, 2))
        self._run(COURTESY_DAY)
        body = unescape(self._mails_to(self.customer).body_html)
        self.assertIn(invoice.name, body)
        self.assertNotIn("early-payment discount", body)

    def test_french_customer_reads_french_dates_and_amounts(self):
        french = self._french_customer()
        french.credit_collector_id = self.collector
        invoice = self._invoice_with_term(french, self.term_2_8, 1234.50)
        self._run(COURTESY_DAY)
        body = unescape(self._mails_to(french).body_html)
        # the sentence goes through the customer's language: French date and
        # amounts (its French text comes with the next fr.po)
        offer = next(
            paragraph
            for paragraph in re.findall(r"<p>([^<]*)</p>", body)
            if "%" in paragraph and invoice.name in paragraph
        )
        self.assertIn("09/03/2026", offer)
        self.assertIn(self._amount(24.69, "fr_FR"), offer)
        self.assertIn("24,69", offer)
        self.assertIn(self._amount(1209.81, "fr_FR"), offer)
        self.assertNotIn("03/09/2026", offer)

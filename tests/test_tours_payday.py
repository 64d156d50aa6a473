from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestPaydayTours(CreditDunningCommon, HttpCase):
    """A collector sets a customer's payday and confirms one of its invoices
    (static/tests/tours/credit_payday.js)."""

    def test_collector_sets_the_payday_and_confirms_an_invoice(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30 Days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )
        customer = self._make_customer(
            "Tour Payday Customer",
            "payday@example.com",
            is_company=False,
            property_payment_term_id=term.id,
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-02-10",
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"name": "Sofa", "price_unit": 900.0, "tax_ids": []})
                ],
            }
        )
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 12))

        self.start_tour("/odoo", "credit_payday_set", login=self.collector.login)
        self.env.invalidate_all()
        self.assertEqual(customer.credit_payday, 5)

        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "credit_payday_invoice",
            login=self.collector.login,
        )
        self.env.invalidate_all()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 5))
        self.assertEqual(invoice.credit_payday_moved_from, date(2026, 3, 12))
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(receivable.date_maturity, date(2026, 4, 5))

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestSegmentTours(CreditDunningCommon, HttpCase):
    """A collector sees the payment segment and the graph of a customer
    (static/tests/tours/credit_segment.js). The browser runs on the real
    clock: the dates are relative to today."""

    def test_collector_sees_segment_and_graph(self):
        today = fields.Date.context_today(self.env.user)
        # three invoices paid 15 days late over the last months
        for months_ago in (4, 3, 2):
            invoice_date = today - timedelta(days=30 * months_ago + 30)
            due = invoice_date + timedelta(days=30)
            invoice = self._invoice(self.customer, 1000.0, invoice_date, due=due)
            self._pay(invoice, pay_date=due + timedelta(days=15))
        self.env["credit.payment.behaviour"].sudo()._compute_for_company(
            self.company, today=today
        )
        late = self.env["credit.segment"]._segments_by_code(self.company)["late"]
        self.assertEqual(self.customer.credit_segment_id, late)

        self.start_tour("/odoo", "credit_segment_customer", login=self.collector.login)

        # the recompute of the tour kept the figures and the segment
        behaviour = self.customer.credit_behaviour_id
        self.assertEqual(behaviour.invoices_paid, 3)
        self.assertAlmostEqual(behaviour.avg_days_late, 15.0, places=2)
        self.assertEqual(self.customer.credit_segment_id, late)

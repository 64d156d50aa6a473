from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestCreditReviewTours(CreditDunningCommon, HttpCase):
    """A credit manager records and approves a credit review, a salesperson
    meets the deposit it asks (static/tests/tours/credit_review.js)."""

    def test_manager_records_and_approves_a_review(self):
        self.customer.credit_limit = 5000
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "credit_review_approve",
            login=self.credit_manager.login,
        )
        review = self.env["credit.review"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(review), 1)
        self.assertEqual(review.state, "done")
        self.assertEqual(review.approved_by_id, self.credit_manager)
        self.assertEqual(review.deposit_percent, 20)
        self.assertEqual(review.reference_ids.mapped("name"), ["Acier Lyonnais"])
        self.assertEqual(review.reference_ids.contact, "Mme Roux")
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.credit_limit, 25000)
        self.assertEqual(customer.credit_deposit_percent, 20)

    # the refusal is a UserError, which odoo.http logs as a warning
    @mute_logger("odoo.http")
    def test_salesperson_meets_the_deposit(self):
        review = (
            self.env["credit.review"]
            .with_user(self.collector)
            .create({"partner_id": self.customer.id, "deposit_percent": 30})
        )
        review.with_user(self.credit_manager).action_approve()
        order = self._order(self.customer, 1000)
        self.start_tour(
            f"/odoo/sales/{order.id}",
            "credit_review_deposit",
            login=self.salesman.login,
        )
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.3)

from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestBulkTours(CreditDunningCommon, HttpCase):
    """What a credit manager does from the Action menu of the customers list
    (static/tests/tours/credit_bulk_hold.js)."""

    def test_credit_manager_puts_three_customers_on_hold(self):
        customers = self.env["res.partner"].create(
            [
                {"name": f"Tour Client {name}", "is_company": True, "customer_rank": 1}
                for name in ("Alpha", "Beta", "Gamma", "Delta")
            ]
        )
        self.start_tour(
            "/odoo/action-credit_dunning.res_partner_credit_action",
            "credit_bulk_hold",
            login=self.credit_manager.login,
        )
        self.env.invalidate_all()
        selected, left = customers[:3], customers[3]
        for customer in selected:
            self.assertTrue(customer.credit_hold)
            self.assertEqual(
                customer.credit_hold_reason,
                "Credit insurer withdrew cover for the sector",
            )
            self.assertEqual(
                customer.message_ids[0].author_id, self.credit_manager.partner_id
            )
        self.assertFalse(left.credit_hold, "only the selected customers")

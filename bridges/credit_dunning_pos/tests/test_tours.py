from odoo.tests import HttpCase, tagged

from .common import PosCreditCommon


@tagged("post_install", "-at_install")
class TestPosCreditTours(PosCreditCommon, HttpCase):
    """At the till (static/tests/tours/credit_pos_refusal.js)."""

    def test_cashier_is_refused_the_customer_account_and_takes_cash(self):
        self.start_tour(
            f"/pos/ui/{self.config.id}",
            "credit_pos_customer_account_refused",
            login=self.cashier.login,
        )
        order = self.env["pos.order"].search([("config_id", "=", self.config.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, self.held)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_paid, order.amount_total)
        self.assertEqual(order.payment_ids.payment_method_id, self.cash_pm)
        self.assertFalse(order.credit_flagged)
        self.assertEqual(order.picking_ids.state, "done")

    def test_pos_manager_approves_the_customer_account(self):
        self.start_tour(
            f"/pos/ui/{self.config.id}",
            "credit_pos_customer_account_approved",
            login=self.pos_manager.login,
        )
        order = self.env["pos.order"].search([("config_id", "=", self.config.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.payment_ids.payment_method_id, self.account_pm)
        self.assertEqual(
            order.credit_pos_approval_reason, "Known customer, pays Friday"
        )
        self.assertEqual(order.credit_pos_approver_id, self.pos_manager)
        self.assertFalse(order.credit_flagged)
        self.assertEqual(order.picking_ids.state, "done")

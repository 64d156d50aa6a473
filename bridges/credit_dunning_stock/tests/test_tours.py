from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDeliveryCommon


@tagged("post_install", "-at_install")
class TestDeliveryTours(CreditDeliveryCommon, HttpCase):
    """A warehouse user meets a held delivery, a credit manager approves it
    (static/tests/tours/credit_delivery_waiting.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery = cls._delivery(cls.customer, 250)
        with freeze_time("2026-03-15"):
            cls._invoice(cls.customer, 1250, "2026-01-10", due="2026-02-10")
            cls.customer.with_user(cls.credit_manager)._credit_set_flags(
                "insurer withdrew cover", credit_hold=True
            )

    # the refusal is a UserError, which odoo.http logs as a warning
    @mute_logger("odoo.http")
    def test_warehouse_user_meets_a_held_delivery(self):
        self.assertTrue(self.delivery.credit_blocked)
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{self.delivery.id}",
            "credit_delivery_refused",
            login=self.stock_user.login,
        )
        self.env.invalidate_all()
        self.assertNotEqual(self.delivery.state, "done")
        notes = self.delivery.message_ids.filtered(
            lambda m: "Validation refused by credit control" in m.body
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.stock_user.partner_id)
        activities = self._credit_activities(self.delivery)
        self.assertIn(self.salesman, activities.user_id)
        self.assertIn(self.credit_manager, activities.user_id)

    def test_credit_manager_approves_the_delivery(self):
        self.start_tour(
            "/odoo/action-credit_dunning_stock.stock_picking_credit_waiting_action",
            "credit_delivery_approved",
            login=self.credit_manager.login,
        )
        self.env.invalidate_all()
        self.assertFalse(self.delivery.credit_blocked)
        self.assertEqual(self.delivery.credit_override_user_id, self.credit_manager)
        self.assertEqual(
            self.delivery.credit_override_reason,
            "Goods already packed; the customer pays on Friday",
        )
        self.delivery.with_user(self.stock_user).button_validate()
        self.assertEqual(self.delivery.state, "done")

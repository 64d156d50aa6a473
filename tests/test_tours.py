from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestCreditTours(CreditDunningCommon, HttpCase):
    """What a salesperson and a credit manager do in the browser with a
    quotation that credit control refuses (static/tests/tours/)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000
        cls.order = cls._order(cls.customer, 1500)
        cls.activity_type = cls.env.ref(
            "credit_dunning.mail_activity_type_credit_blocked"
        )

    def _credit_activities(self):
        return self.order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )

    # the refusal is a UserError, which odoo.http logs as a warning
    @mute_logger("odoo.http")
    def test_salesperson_confirmation_refused_in_the_browser(self):
        self.start_tour(
            f"/odoo/sales/{self.order.id}",
            "credit_dunning_order_refused",
            login=self.salesman.login,
        )
        self.env.invalidate_all()
        self.assertIn(self.order.state, ("draft", "sent"))
        self.assertTrue(self.order.credit_blocked)
        self.assertIn(
            "would exceed the limit of $\xa01,000.00 by $\xa0500.00",
            self.order.credit_block_reason,
        )
        notes = self.order.message_ids.filtered(
            lambda m: "Confirmation refused by credit control" in m.body
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.salesman.partner_id)
        activities = self._credit_activities()
        self.assertIn(self.salesman, activities.user_id)
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertIn(
            self.order,
            self.env["sale.order"].search(
                [("credit_blocked", "=", True), ("state", "in", ("draft", "sent"))]
            ),
        )

    def test_credit_manager_approves_then_confirms_in_the_browser(self):
        # the salesperson's confirmation was refused earlier
        self.order._credit_park(self.order._credit_check_problems())
        self.assertTrue(self._credit_activities())
        self.start_tour(
            f"/odoo/sales/{self.order.id}",
            "credit_dunning_order_approved",
            login=self.credit_manager.login,
        )
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "sale")
        self.assertFalse(self.order.credit_blocked)
        self.assertEqual(self.order.credit_override_user_id, self.credit_manager)
        self.assertTrue(self.order.credit_override_date)
        self.assertAlmostEqual(self.order.credit_override_amount, 1500)
        self.assertEqual(
            self.order.credit_override_reason,
            "Long-standing customer, the CFO agreed",
        )
        approval = self.order.message_ids.filtered(
            lambda m: "Credit approved by Marc Credit Manager" in m.body
        )
        self.assertEqual(len(approval), 1)
        self.assertIn("Long-standing customer, the CFO agreed", approval.body)
        self.assertIn("1,500.00", approval.body)
        self.assertFalse(self._credit_activities(), "the credit tasks are done")

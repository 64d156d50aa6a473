from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestDeposit(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = (
            cls.env["payment.provider"]
            .sudo()
            .create({"name": "Dummy", "state": "test", "code": "none"})
        )
        review = (
            cls.env["credit.review"]
            .with_user(cls.collector)
            .create({"partner_id": cls.customer.id, "deposit_percent": 30})
        )
        review.with_user(cls.credit_manager).action_approve()

    def _paid_online(self, order, amount):
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "reference": f"TX-{order.name}-{amount}",
                    "operation": "online_redirect",
                    "partner_id": order.partner_id.id,
                    "sale_order_ids": [(6, 0, order.ids)],
                    "state": "done",
                }
            )
        )

    def _refusal(self, order):
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        return str(error.exception)

    def test_quotation_asks_for_the_deposit_online(self):
        self.assertEqual(self.customer.credit_deposit_percent, 30)
        self.assertEqual(self.contact.credit_deposit_percent, 30)
        order = self._order(self.contact, 1000)
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.3)
        self.assertAlmostEqual(order._get_prepayment_required_amount(), 300)
        # the salesperson sees it on the customer
        self.assertEqual(
            self.customer.with_user(self.salesman).credit_deposit_percent, 30
        )
        # a customer without a deposit keeps the company's settings
        other = self._order(self._make_customer("Sans Acompte"), 1000)
        self.assertFalse(other.require_payment)

    def test_confirmation_refused_until_the_deposit_is_paid(self):
        order = self._order(self.customer, 1000)
        message = self._refusal(order)
        self.assertIn(
            "deposit of 30 % required: $\xa0300.00 to pay online before "
            "confirmation, $\xa00.00 paid so far",
            message,
        )
        self.assertIn("deposit of 30 %", order.credit_check_message)
        # a part of it is not enough, and Odoo does not confirm it either
        self.assertFalse(
            self._paid_online(order, 100)._check_amount_and_confirm_order()
        )
        self.assertIn("$\xa0100.00 paid so far", self._refusal(order))

    def test_online_payment_of_the_deposit_confirms(self):
        order = self._order(self.customer, 1000)
        confirmed = self._paid_online(order, 300)._check_amount_and_confirm_order()
        self.assertEqual(confirmed, order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_blocked)

    def test_paid_deposit_lets_the_salesperson_confirm(self):
        order = self._order(self.customer, 1000)
        order.sudo().require_payment = False  # sent for signature only
        self._paid_online(order, 300)
        order.invalidate_recordset(["amount_paid"])
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_manager_override(self):
        order = self._order(self.customer, 1000)
        self._refusal(order)
        wizard = (
            self.env["credit.override.wizard"]
            .with_user(self.credit_manager)
            .create({"order_id": order.id, "reason": "Pays by transfer tomorrow"})
        )
        self.assertIn("deposit of 30 %", wizard.problems)
        wizard.action_approve()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_segment_deposit_when_higher(self):
        Partner = self.registry["res.partner"]
        with patch.object(
            Partner,
            "_credit_segment_deposit_percent",
            lambda self, company: 50.0,
            create=True,
        ):
            order = self._order(self.customer, 1000)
            self.assertAlmostEqual(order.prepayment_percent, 0.5)
            self.assertIn("deposit of 50 %", self._refusal(order))
        with patch.object(
            Partner,
            "_credit_segment_deposit_percent",
            lambda self, company: 10.0,
            create=True,
        ):
            order = self._order(self.customer, 1000)
            self.assertIn("deposit of 30 %", self._refusal(order))

    def test_open_quotations_ask_for_a_new_deposit(self):
        newcomer = self._make_customer("Nouveau SAS")
        quotation = self._order(newcomer, 2000)
        self.assertFalse(quotation.require_payment)
        review = (
            self.env["credit.review"]
            .with_user(self.collector)
            .create({"partner_id": newcomer.id, "deposit_percent": 25})
        )
        review.with_user(self.credit_manager).action_approve()
        self.assertTrue(quotation.require_payment)
        self.assertAlmostEqual(quotation._get_prepayment_required_amount(), 500)
        self.assertIn("$\xa0500.00 to pay online", self._refusal(quotation))

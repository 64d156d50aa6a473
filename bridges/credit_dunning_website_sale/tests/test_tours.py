from odoo.http import root
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditWebshopCommon


@tagged("post_install", "-at_install")
class TestWebshopCheckout(CreditWebshopCommon, HttpCase):
    """The checkout of a portal buyer (static/tests/tours/credit_webshop.js)
    and the payment route called directly."""

    def _pay_request(self, order, provider):
        return self.make_jsonrpc_request(
            f"/shop/payment/transaction/{order.id}",
            {
                "access_token": order._portal_ensure_token(),
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "token_id": None,
                "amount": order.amount_total,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/shop/payment/validate",
            },
        )

    @mute_logger("odoo.http")
    def test_payment_route_refuses_a_held_customer(self):
        self._overdue_invoice(self.customer, 1250)
        self._hold(self.customer)
        cart = self._cart()
        self.authenticate(self.buyer.login, self.buyer.login)
        with self.assertRaises(JsonRpcException):
            self._pay_request(cart, self.demo)
        self.assertFalse(cart.transaction_ids)
        self.assertEqual(cart.state, "draft")

    @mute_logger("odoo.http")
    def test_portal_quotation_payment_refuses_a_held_customer(self):
        """A quotation sent from the back office, paid from the customer
        portal (/my/orders): no money is taken while the customer is on hold,
        and it is once the hold is lifted."""
        self._hold(self.customer)
        quotation = self._cart()
        quotation.website_id = False
        values = {
            "access_token": quotation._portal_ensure_token(),
            "provider_id": self.demo.id,
            "payment_method_id": self.demo.payment_method_ids[:1].id,
            "token_id": None,
            "amount": quotation.amount_total,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": quotation.get_portal_url(),
        }
        route = f"/my/orders/{quotation.id}/transaction"
        self.authenticate(self.buyer.login, self.buyer.login)
        with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            self.make_jsonrpc_request(route, values)
        self.assertFalse(quotation.transaction_ids)
        self.customer.with_user(self.credit_manager)._credit_set_flags(
            "insurer cover restored", credit_hold=False
        )
        self.assertTrue(self.make_jsonrpc_request(route, values))
        self.assertEqual(quotation.transaction_ids.provider_id, self.demo)

    @mute_logger("odoo.http")
    def test_payment_route_refuses_wire_transfer_for_cash_only(self):
        self._set_flags(self.customer, cash_only=True)
        cart = self._cart()
        self.authenticate(self.buyer.login, self.buyer.login)
        with self.assertRaises(JsonRpcException):
            self._pay_request(cart, self.wire)
        self.assertFalse(cart.transaction_ids)
        self.assertTrue(self._pay_request(cart, self.demo))
        self.assertEqual(cart.transaction_ids.provider_id, self.demo)

    @mute_logger("odoo.http")
    def test_portal_user_cannot_call_the_checks(self):
        cart = self._cart()
        self.authenticate(self.buyer.login, self.buyer.login)
        for method in ("_credit_webshop_block", "_credit_webshop_awaits_review"):
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "sale.order",
                        "method": method,
                        "args": [cart.ids],
                        "kwargs": {},
                    },
                )

    def test_paid_but_refused_order_awaits_review(self):
        cart = self._cart()
        self._overdue_invoice(self.customer, 1250)
        self._hold(self.customer)
        self._paid_online(cart)
        self.assertEqual(cart.state, "draft")
        session = self.authenticate(self.buyer.login, self.buyer.login)
        session["sale_last_order_id"] = cart.id
        root.session_store.save(session)
        page = self.url_open("/shop/confirmation").text
        self.assertIn("Your order awaits review", page)
        self.assertIn("your payment is refunded", page)
        self.assertNotIn("Thank you for your order", page)
        self.assertNotIn("Your payment has been processed", page)
        # a confirmed order still thanks the customer
        good = self._cart(self._make_customer("Bon Payeur"))
        self._paid_online(good)
        self.assertEqual(good.state, "sale")
        session["sale_last_order_id"] = good.id
        root.session_store.save(session)
        page = self.url_open("/shop/confirmation").text
        self.assertIn("Thank you for your order", page)
        self.assertNotIn("Your order awaits review", page)

    def test_held_customer_sees_the_hold_and_cannot_pay(self):
        self._overdue_invoice(self.customer, 1250)
        self._hold(self.customer)
        cart = self._cart()
        self.start_tour("/shop/cart", "credit_webshop_hold", login=self.buyer.login)
        self.assertEqual(cart.state, "draft")
        self.assertFalse(cart.transaction_ids)

    def test_cash_only_customer_pays_by_card(self):
        self._set_flags(self.customer, cash_only=True)
        cart = self._cart()
        self.start_tour(
            "/shop/cart", "credit_webshop_cash_only", login=self.buyer.login
        )
        self.env.invalidate_all()
        self.assertEqual(cart.state, "sale")
        self.assertEqual(cart.transaction_ids.provider_id, self.demo)
        self.assertEqual(cart.transaction_ids.state, "done")

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.sale.models.sale_order import SaleOrder

from .common import CreditWebshopCommon


@tagged("post_install", "-at_install")
class TestWebshopCredit(CreditWebshopCommon):
    def _providers(self, order):
        return (
            self.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                self.company.id,
                order.partner_invoice_id.id,
                order.amount_total,
                currency_id=order.currency_id.id,
                sale_order_id=order.id,
            )
        )

    def test_held_customer_cannot_pay_by_default(self):
        self.assertFalse(self.company.credit_webshop_accept_prepaid_on_hold)
        self._overdue_invoice(self.customer, 1250)
        self._hold(self.customer)
        cart = self._cart()
        block = cart._credit_webshop_block()
        self.assertEqual(block["title"], "Your account is on hold")
        self.assertIn("Overdue amount: $\xa01,250.00", block["message"])
        # the hold reason is for the staff, never shown to the customer
        self.assertNotIn("insurer", block["message"])
        with self.assertRaises(ValidationError) as error:
            cart._check_cart_is_ready_to_be_paid()
        self.assertIn("Your account is on hold", str(error.exception))
        self.assertEqual(cart.state, "draft")

    def test_late_payer_cannot_pay_an_order_that_would_be_parked(self):
        # not on hold, but the overdue invoice (30 days, tolerance 15) would
        # refuse the confirmation even of a paid order
        self._overdue_invoice(self.customer, 400)
        cart = self._cart()
        block = cart._credit_webshop_block()
        self.assertEqual(block["title"], "Your account has overdue invoices")
        self.assertIn("$\xa0400.00", block["message"])
        # a good customer pays
        good = self._make_customer("Bon Payeur")
        self.assertEqual(self._cart(good)._credit_webshop_block(), {})

    def test_setting_on_prepaid_order_of_held_customer_is_confirmed(self):
        self.company.credit_webshop_accept_prepaid_on_hold = True
        self._hold(self.customer)
        cart = self._cart()
        self.assertEqual(cart._credit_webshop_block(), {})
        # it pays at once: no wire transfer
        self.assertEqual(self._providers(cart), self.demo)
        # unpaid, it is still refused
        with self.assertRaises(UserError):
            cart.with_user(self.salesman).action_confirm()
        self._paid_online(cart)
        self.assertEqual(cart.state, "sale")
        note = cart.message_ids.filtered(
            lambda m: "Confirmed although Dupont Industrie is on credit hold" in m.body
        )
        self.assertEqual(len(note), 1)
        self.assertIn(self.credit_manager.partner_id, note.partner_ids)
        # an order of the back office, paid or not, is not a webshop order
        order = self._order(self.customer, 100)
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_cash_only_customer_pays_at_once(self):
        cart = self._cart()
        self.assertEqual(self._providers(cart), self.demo | self.wire)
        self._set_flags(self.customer, cash_only=True)
        self.assertEqual(self._providers(cart), self.demo)
        self.assertEqual(cart._credit_webshop_block(), {})

    def test_over_limit_customer_cannot_pay_later(self):
        self.customer.credit_limit = 1000
        self._invoice(self.customer, 900, "2026-01-10", due="2099-01-10")
        self.assertEqual(self._providers(self._cart(amount=50)), self.demo | self.wire)
        over = self._cart(amount=250)
        self.assertEqual(self._providers(over), self.demo)
        # paid at once, it extends no credit
        self.assertEqual(over._credit_webshop_block(), {})

    def test_payment_arriving_for_a_refused_order_is_parked(self):
        cart = self._cart()
        self._overdue_invoice(self.customer, 1250)
        # the hold comes while the customer is on the payment page
        self._hold(self.customer)
        tx = self._paid_online(cart)
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(cart.state, "draft")
        self.assertTrue(cart.credit_blocked)
        self.assertTrue(cart._credit_webshop_awaits_review())
        self.assertIn("Paid online ($\xa0250.00", tx.state_message)
        self.assertIn("refunds the payment", tx.state_message)
        self.assertTrue(
            cart.message_ids.filtered(lambda m: tx.reference in m.body),
        )
        tasks = self._credit_tasks(cart)
        self.assertIn(self.credit_manager, tasks.user_id)
        self.assertEqual(
            set(
                tasks.filtered(lambda a: a.user_id == self.credit_manager).mapped(
                    "summary"
                )
            ),
            {"Paid order refused by credit control"},
        )

    @mute_logger("odoo.addons.credit_dunning_website_sale.models.payment_transaction")
    def test_unexpected_refusal_of_a_paid_order_raises_nothing(self):
        cart = self._cart()
        confirm = SaleOrder.action_confirm

        refusal = "stock says no"

        def refuse(orders):
            if orders:
                raise UserError(refusal)
            return confirm(orders)

        with patch.object(SaleOrder, "action_confirm", refuse):
            tx = self._paid_online(cart)
        self.assertEqual(tx.state, "done")
        self.assertEqual(cart.state, "draft")
        self.assertTrue(cart.credit_blocked)
        self.assertIn("stock says no", cart.credit_block_reason)
        self.assertIn(self.credit_manager, self._credit_tasks(cart).user_id)

    def test_setting_is_in_the_credit_control_block(self):
        self.env.user.group_ids |= self.env.ref(
            "credit_dunning.group_credit_control_manager"
        )
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        block = arch[arch.index('name="credit_control_setting_container"') :]
        self.assertIn('name="credit_webshop_accept_prepaid_on_hold"', block)
        self.assertIn("Accept prepaid webshop orders from customers on hold", block)

    def test_only_administrators_change_the_setting(self):
        for user in (self.salesman, self.credit_manager, self.portal_user):
            with self.assertRaises(AccessError):
                self.company.with_user(user).write(
                    {"credit_webshop_accept_prepaid_on_hold": True}
                )
            with self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(user).create(
                    {"credit_webshop_accept_prepaid_on_hold": True}
                )
        self.assertFalse(self.company.credit_webshop_accept_prepaid_on_hold)

    def test_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_dunning", "credit_dunning_website_sale"], ["fr_FR"], overwrite=True
        )
        self._hold(self.customer)
        cart = self._cart().with_context(lang="fr_FR")
        self.assertEqual(
            cart._credit_webshop_block()["title"], "Votre compte est bloqué"
        )
        paid = cart.with_context(credit_webshop_assume_paid=True)
        problems = paid._credit_check_problems()[cart.id]
        self.assertIn("encours du client bloqué depuis le", problems[0])
        # the setting lets the French hold through too
        self.company.credit_webshop_accept_prepaid_on_hold = True
        self.assertEqual(paid._credit_check_problems(), {})
        self.assertEqual(cart._credit_webshop_block(), {})

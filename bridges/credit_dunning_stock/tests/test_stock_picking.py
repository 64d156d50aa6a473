from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDeliveryCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestDeliveryWaitsForCredit(CreditDeliveryCommon):
    def test_hold_after_confirmation_stops_the_delivery(self):
        delivery = self._delivery(self.customer, 250)
        self.assertEqual(delivery.picking_type_code, "outgoing")
        self.assertFalse(delivery.credit_blocked)
        self._invoice(self.customer, 700, "2026-01-10", due="2026-02-10")
        self._set_flags(self.customer, credit_hold=True)
        # waits at once: ribbon, and listed under Credit Control
        self.assertTrue(delivery.credit_blocked)
        self.assertIn("customer on credit hold since", delivery.credit_block_reason)
        with self.assertRaises(UserError) as error:
            self._validate(delivery)
        message = str(error.exception)
        self.assertIn("Credit control refuses to validate the delivery", message)
        self.assertIn(delivery.name, message)
        self.assertIn("Dupont Industrie", message)
        self.assertIn("customer on credit hold since 03/15/2026: test", message)
        self.assertIn("overdue $\xa0700.00", message)
        self.assertIn("a credit manager approves it", message)
        self.assertNotEqual(delivery.state, "done")
        self._after_rollback()
        notes = delivery.message_ids.filtered(
            lambda m: "Validation refused by credit control" in m.body
        )
        self.assertEqual(len(notes), 1)
        activities = self._credit_activities(delivery)
        self.assertIn(self.salesman, activities.user_id)
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertIn(
            delivery,
            self.env["stock.picking"]
            .with_user(self.collector)
            .search([("credit_blocked", "=", True)]),
        )
        # a second refusal gives nobody a second task
        with self.assertRaises(UserError):
            self._validate(delivery)
        self._after_rollback()
        self.assertEqual(len(self._credit_activities(delivery)), len(activities))

    def test_several_at_once_and_action_done(self):
        held = self._delivery(self.customer)
        good_customer = self._make_customer("Bon Payeur")
        good = self._delivery(good_customer)
        self._set_flags(self.customer, credit_hold=True)
        # as a batch validates them: all or nothing
        with self.assertRaises(UserError) as error:
            self._validate(held | good)
        self.assertIn(held.name, str(error.exception))
        self.assertNotIn(good.name, str(error.exception))
        self.assertNotEqual(held.state, "done")
        # the path every validation ends in
        with self.assertRaises(UserError):
            held.with_user(self.stock_user)._action_done()
        self.assertNotEqual(held.state, "done")
        self._validate(good)
        self.assertEqual(good.state, "done")

    def test_done_deliveries_and_returns_are_untouched(self):
        delivery = self._delivery(self.customer)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self._set_flags(self.customer, credit_hold=True)
        self.assertFalse(delivery.credit_blocked)
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.stock_user)
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(returned.return_id, delivery)
        self._validate(returned)
        self.assertEqual(returned.state, "done")
        self.assertFalse(returned.credit_blocked)

    def test_approval_releases_that_delivery_only(self):
        first = self._delivery(self.customer)
        second = self._delivery(self.customer)
        self._set_flags(self.customer, credit_hold=True)
        with self.assertRaises(UserError):
            self._validate(first)
        self._after_rollback()
        self.assertTrue(self._credit_activities(first))
        action = first.with_user(self.credit_manager).action_credit_open_approve()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.credit_manager)
            .with_context(**action["context"])
            .create({"reason": "goods already packed, customer pays Friday"})
        )
        self.assertIn("customer on credit hold", wizard.problems)
        wizard.action_approve()
        self.assertFalse(first.credit_blocked)
        self.assertEqual(first.credit_override_user_id, self.credit_manager)
        self.assertEqual(
            first.credit_override_reason, "goods already packed, customer pays Friday"
        )
        self.assertTrue(
            first.message_ids.filtered(
                lambda m: "Delivery approved by Marc Credit Manager" in m.body
            )
        )
        self.assertFalse(
            self._credit_activities(first), "the credit tasks are marked as done"
        )
        self._validate(first)
        self.assertEqual(first.state, "done")
        # the other delivery of the customer still waits
        self.assertTrue(second.credit_blocked)
        with self.assertRaises(UserError):
            self._validate(second)

    def test_delivery_made_during_the_hold_waits_from_the_start(self):
        self._set_flags(self.customer, credit_hold=True)
        delivery = self._loose_delivery(self.customer)
        delivery.action_confirm()
        self.assertTrue(delivery.credit_blocked)
        self.assertIn("customer on credit hold since", delivery.credit_block_reason)
        self.assertFalse(self._credit_activities(delivery), "nobody tried yet")

    def test_order_approved_despite_the_hold_is_delivered(self):
        self._set_flags(self.customer, credit_hold=True)
        order = self._order(self.customer, 400)
        order.with_user(self.credit_manager)._credit_approve("urgent repair")
        order.action_confirm()
        self.assertFalse(order.picking_ids.credit_blocked)
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def test_only_a_credit_manager_approves(self):
        delivery = self._delivery(self.customer)
        self._set_flags(self.customer, credit_hold=True)
        Wizard = self.env["credit.delivery.approve.wizard"]
        for user in (self.salesman, self.stock_user, self.portal_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    delivery.with_user(user).action_credit_open_approve()
                with self.assertRaises(AccessError):
                    delivery.with_user(user)._credit_approve("mine")
                with self.assertRaises(AccessError):
                    Wizard.with_user(user).create(
                        {"picking_id": delivery.id, "reason": "mine"}
                    )
        # nor with a credit manager's dialog
        wizard = Wizard.with_user(self.credit_manager).create(
            {"picking_id": delivery.id, "reason": "manager's"}
        )
        for user in (self.salesman, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).action_approve()
        # the approval fields are not written over RPC, by anyone
        for user in (self.stock_user, self.salesman, self.credit_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                delivery.with_user(user).write(
                    {"credit_override_user_id": user.id, "credit_blocked": False}
                )
        self.assertTrue(delivery.credit_blocked)
        self.assertFalse(delivery.credit_override_user_id)
        with self.assertRaises(UserError):
            delivery.with_user(self.credit_manager)._credit_approve("  ")

    def test_payment_lifting_the_hold_releases_all(self):
        first = self._delivery(self.customer)
        second = self._delivery(self.customer)
        invoice = self._invoice(self.customer, 900, "2026-01-10", due="2026-02-10")
        # the ladder's hold, which a payment lifts
        self.customer._credit_set_flags(
            "15 days late", origin="dunning", credit_hold=True
        )
        self.assertTrue(first.credit_blocked and second.credit_blocked)
        with self.assertRaises(UserError):
            self._validate(first)
        self._after_rollback()
        self.assertTrue(self._credit_activities(first))
        self._pay(invoice, pay_date="2026-03-15")
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(first.credit_blocked or second.credit_blocked)
        self.assertFalse(self._credit_activities(first | second))
        done = self.env["mail.message"].search(
            [
                ("model", "=", "stock.picking"),
                ("res_id", "=", first.id),
                ("mail_activity_type_id", "=", self.activity_type.id),
            ]
        )
        self.assertTrue(done, "the task is marked as done, with a note")
        self.assertTrue(
            first.message_ids.filtered(
                lambda m: "no longer stops the delivery" in m.body
            )
        )
        self._validate(first | second)
        self.assertEqual((first | second).mapped("state"), ["done", "done"])

    def test_cash_only_unpaid_waits_paid_goes(self):
        customer = self._make_customer("Comptant SA")
        self._set_flags(customer, cash_only=True)
        order = self._order(customer, 300, payment_term=self.immediate)
        order.action_confirm()
        delivery = order.picking_ids
        self.assertTrue(delivery.credit_blocked, "it waits from the start")
        self.assertIn(f"{order.name} is not paid", delivery.credit_block_reason)
        with self.assertRaises(UserError) as error:
            self._validate(delivery)
        self.assertIn(
            f"cash-only customer: {order.name} is not paid "
            "($\xa00.00 paid of $\xa0300.00)",
            str(error.exception),
        )
        self._after_rollback()
        self.assertTrue(delivery.credit_blocked)
        invoice = order._create_invoices()
        invoice.action_post()
        self._pay(invoice, amount=100, pay_date="2026-03-15")
        self.assertTrue(delivery.credit_blocked, "a part payment does not do")
        self._pay(invoice, pay_date="2026-03-15")
        self.assertFalse(delivery.credit_blocked)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")

    def test_refusal_in_the_warehouse_user_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_dunning", "credit_dunning_stock"], ["fr_FR"], overwrite=True
        )
        self.stock_user.lang = "fr_FR"
        delivery = self._delivery(self.customer)
        self._set_flags(self.customer, credit_hold=True)
        with self.assertRaises(UserError) as error:
            # the web client sends the user's language
            self._validate(delivery.with_context(lang="fr_FR"))
        message = str(error.exception)
        self.assertIn("Le contrôle du crédit refuse de valider la livraison", message)
        self.assertIn("encours du client bloqué depuis le 15/03/2026 : test", message)
        self.assertIn("responsable crédit", message)

    def test_cash_only_delivery_without_order_waits(self):
        customer = self._make_customer("Comptant SA")
        self._set_flags(customer, cash_only=True)
        delivery = self._loose_delivery(customer)
        delivery.action_confirm()
        with self.assertRaises(UserError) as error:
            self._validate(delivery)
        self.assertIn("a delivery without a sales order", str(error.exception))
        # lifting cash-only releases it
        self._set_flags(customer, cash_only=False)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")


@tagged("post_install", "-at_install")
class TestDeliveryOverRpc(CreditDeliveryCommon, HttpCase):
    # the refusal is a UserError, which odoo.http logs as a warning
    @mute_logger("odoo.http")
    def test_web_client_validation_is_refused_and_recorded(self):
        delivery = self._delivery(self.customer)
        self._set_flags(self.customer, credit_hold=True)
        self.authenticate(self.stock_user.login, self.stock_user.login)
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/stock.picking/button_validate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 0,
                "params": {
                    "model": "stock.picking",
                    "method": "button_validate",
                    "args": [delivery.ids],
                    "kwargs": {"context": {"allowed_company_ids": [self.company.id]}},
                },
            },
            timeout=60,
        )
        response.raise_for_status()
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn(
            "Credit control refuses to validate the delivery", error["message"]
        )
        self.env.invalidate_all()
        self.assertNotEqual(delivery.state, "done")
        self.assertTrue(
            delivery.message_ids.filtered(
                lambda m: "Validation refused by credit control" in m.body
            )
        )
        self.assertIn(self.salesman, self._credit_activities(delivery).user_id)

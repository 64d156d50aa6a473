from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PosCreditCommon


@tagged("post_install", "-at_install")
class TestPosCredit(PosCreditCommon):
    """The Customer Account at the till, the orders that reach the server
    anyway, the deliveries of paid sales, and the exposure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._open_session()

    def _check(self, partner, amount, user=None):
        return (
            self.env["res.partner"]
            .with_user(user or self.cashier)
            .browse(partner.id)
            .credit_pos_check(amount, self.config.id)
        )

    # ------------------------------------------------------------------
    # The check of the till
    # ------------------------------------------------------------------
    def test_check_figures_against_the_limit(self):
        within = self._check(self.limited, 200.0)
        self.assertTrue(within["ok"])
        self.assertEqual(within["problems"], [])
        self.assertEqual(within["figures"]["exposure"], 300.0)
        self.assertEqual(within["figures"]["limit"], 500.0)
        self.assertEqual(within["figures"]["remaining"], 0.0)
        self.assertFalse(within["can_approve"])
        over = self._check(self.limited, 250.0, user=self.pos_manager)
        self.assertFalse(over["ok"])
        self.assertEqual(len(over["problems"]), 1)
        self.assertIn("would exceed the limit of", over["problems"][0])
        self.assertIn("550.00", over["problems"][0])
        self.assertIn("50.00", over["problems"][0])
        self.assertIn("Limited Customer", over["message"])
        self.assertEqual(over["figures"]["exposure_after"], 550.0)
        self.assertTrue(over["can_approve"])

    def test_check_held_and_cash_only_customers(self):
        held = self._check(self.held, 40.0)
        self.assertFalse(held["ok"])
        text = "\n".join(held["problems"])
        self.assertIn("customer on credit hold since", text)
        self.assertIn("insurer withdrew cover", text)
        self.assertIn("1 invoice(s) overdue", text)
        self.assertEqual(held["figures"]["overdue"], 1250.0)
        cash_only = self._check(self.cash_only, 40.0)
        self.assertFalse(cash_only["ok"])
        self.assertIn("cash-only customer", cash_only["problems"][0])
        # a contact of the held company is the company
        contact = self.env["res.partner"].create(
            {"name": "Held Contact", "parent_id": self.held.id}
        )
        self.assertFalse(self._check(contact, 40.0)["ok"])

    def test_check_speaks_the_cashiers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        # the till calls with the cashier's language in the context
        result = (
            self.env["res.partner"]
            .with_user(self.cashier)
            .with_context(lang="fr_FR")
            .browse(self.held.id)
            .credit_pos_check(40.0, self.config.id)
        )
        self.assertIn(
            "Le contrôle du crédit refuse le compte client pour Held Customer",
            result["message"],
        )
        self.assertIn("encours du client bloqué depuis le", result["message"])
        self.assertIn("facture(s) en retard", result["message"])

    def test_check_rights_and_bad_input(self):
        for user in (self.salesman, self.portal_user):
            with self.assertRaises(AccessError):
                self._check(self.held, 40.0, user=user)
            with self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).browse(
                    self.held.id
                ).credit_pos_approve(40.0, self.config.id, "trusted")
        with self.assertRaises(UserError):
            self._check(self.held, "forty")
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.cashier).browse(
                self.held.id
            ).credit_pos_check(40.0, self.config.id + 1000)
        # a cashier cannot approve; a manager must give a reason
        Partner = self.env["res.partner"]
        with self.assertRaises(AccessError):
            Partner.with_user(self.cashier).browse(self.held.id).credit_pos_approve(
                40.0, self.config.id, "trusted"
            )
        with self.assertRaises(UserError):
            Partner.with_user(self.pos_manager).browse(self.held.id).credit_pos_approve(
                40.0, self.config.id, "  "
            )
        approved = (
            Partner.with_user(self.pos_manager)
            .browse(self.held.id)
            .credit_pos_approve(40.0, self.config.id, "pays on Friday")
        )
        self.assertTrue(approved["approved"])
        self.assertIn("customer on credit hold since", approved["problems"][0])

    # ------------------------------------------------------------------
    # Orders that reach the server anyway
    # ------------------------------------------------------------------
    def test_offline_sale_on_account_is_saved_and_flagged(self):
        order = self._sync(self.held, [(self.account_pm, 40.0)])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.partner_id, self.held)
        self.assertTrue(order.credit_flagged)
        self.assertIn("customer on credit hold since", order.credit_flag_reason)
        self.assertFalse(order.credit_pos_approver_id)
        activities = self._pos_activities(order)
        self.assertEqual(activities.user_id, self.credit_manager)
        self.assertIn("insurer withdrew cover", str(activities.note))
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "Sold on Customer Account although credit control" in m.body
            )
        )
        # the goods left with the customer: the delivery is done
        self.assertEqual(order.picking_ids.state, "done")
        # a sale on account up to the limit is not flagged: 300 open + 200,
        # the order itself counted once
        fine = self._sync(self.limited, [(self.account_pm, 200.0)], qty=5)
        self.assertFalse(fine.credit_flagged)
        self.assertFalse(self._pos_activities(fine))
        over = self._sync(self.limited, [(self.account_pm, 40.0)])
        self.assertTrue(over.credit_flagged)
        self.assertIn("would exceed the limit", over.credit_flag_reason)

    def test_cashier_approval_is_ignored(self):
        order = self._sync(
            self.cash_only, [(self.account_pm, 40.0)], approval="I know him"
        )
        self.assertTrue(order.credit_flagged)
        self.assertFalse(order.credit_pos_approver_id)
        self.assertIn("cash-only customer", order.credit_flag_reason)
        self.assertIn("approval by Carla Cashier ignored", order.credit_flag_reason)
        self.assertTrue(self._pos_activities(order))

    def test_manager_approval_is_recorded(self):
        order = self._sync(
            self.held,
            [(self.account_pm, 40.0)],
            user=self.pos_manager,
            approval="Known customer, pays Friday",
        )
        self.assertFalse(order.credit_flagged)
        self.assertEqual(order.credit_pos_approver_id, self.pos_manager)
        self.assertTrue(order.credit_pos_approval_date)
        self.assertFalse(self._pos_activities(order))
        note = order.message_ids.filtered(
            lambda m: "Customer Account approved at the till by Marc Manager" in m.body
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Known customer, pays Friday", note.body)

    def test_till_cannot_set_the_server_fields(self):
        order = self._sync(self.limited, [(self.cash_pm, 40.0)], draft=True)
        order.with_user(self.cashier).write({"credit_pos_approval_reason": "x"})
        data = order.read(["credit_flagged"])[0]
        self.assertFalse(data["credit_flagged"])
        order2 = self.env["pos.order"]._process_order(
            {
                "credit_flagged": True,
                "credit_pos_approver_id": self.pos_manager.id,
                "session_id": self.session.id,
                "state": "draft",
                "amount_paid": 0,
                "amount_return": 0,
                "amount_tax": 0,
                "amount_total": 0,
                "lines": [],
                "payment_ids": [],
                "partner_id": self.limited.id,
                "uuid": "credit-pos-server-fields",
            },
            False,
        )
        order2 = self.env["pos.order"].browse(order2)
        self.assertFalse(order2.credit_flagged)
        self.assertFalse(order2.credit_pos_approver_id)

    # ------------------------------------------------------------------
    # Paid sales and their deliveries
    # ------------------------------------------------------------------
    def test_cash_sales_are_delivered_whatever_the_credit(self):
        for partner, pm in (
            (self.held, self.cash_pm),
            (self.cash_only, self.cash_pm),
            (self.held, self.card_pm),
        ):
            order = self._sync(partner, [(pm, 40.0)])
            self.assertEqual(order.state, "paid")
            self.assertFalse(order.credit_flagged)
            self.assertFalse(self._pos_activities(order))
            picking = order.picking_ids
            self.assertEqual(len(picking), 1)
            self.assertEqual(picking.state, "done", partner.name)
            self.assertFalse(picking.credit_blocked)
        # a cash sale costs no credit check at all (no exposure query)
        Partner = type(self.env["res.partner"])
        original = Partner._credit_exposure_parts
        calls = []

        def counted(partner, *args, **kwargs):
            calls.append(partner)
            return original(partner, *args, **kwargs)

        with patch.object(Partner, "_credit_exposure_parts", counted):
            self._sync(self.held, [(self.cash_pm, 40.0)])
            self.assertEqual(calls, [])
            self._sync(self.held, [(self.account_pm, 40.0)])
            self.assertEqual(len(calls), 1)
        # the held customer's other deliveries still wait
        with self.assertRaises(UserError):
            self._validate(self.held_delivery)

    # ------------------------------------------------------------------
    # Exposure
    # ------------------------------------------------------------------
    def test_exposure_counts_unposted_sales_on_account_once(self):
        customer = self._make_customer("Counter Customer", credit_limit=1000.0)
        self.assertEqual(customer.credit_exposure, 0.0)
        self._sync(customer, [(self.account_pm, 80.0)], qty=2)
        self._sync(customer, [(self.cash_pm, 40.0)])
        customer.invalidate_recordset()
        self.assertEqual(customer.credit_exposure, 80.0)
        # invoiced at the till: the posted invoice counts, the order not again
        invoiced = self._sync(customer, [(self.account_pm, 40.0)], invoice=True)
        self.assertEqual(invoiced.account_move.state, "posted")
        customer.invalidate_recordset()
        self.assertEqual(customer.credit_exposure, 120.0)
        # the till sees it too
        check = self._check(customer, 900.0)
        self.assertFalse(check["ok"])
        self.assertEqual(check["figures"]["exposure"], 120.0)
        # closing the session books it as a receivable: counted once
        self.session.post_closing_cash_details(40.0)
        self.session.close_session_from_ui()
        self.assertEqual(self.session.state, "closed")
        customer.invalidate_recordset()
        parts = customer._credit_exposure_parts(customer, self.company)[customer.id]
        self.assertEqual(parts["receivable"], 120.0)
        self.assertEqual(parts["draft"], 0.0)
        self.assertEqual(customer.credit_exposure, 120.0)

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestOrderBlocking(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 Days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")

    def _after_rollback(self):
        with self.enter_registry_test_mode():
            self.env.cr.postrollback.run()
        self.env.invalidate_all()

    def _confirm_as(self, order, user):
        return order.with_user(user).action_confirm()

    def test_limit_rule_names_the_figures(self):
        self.customer.credit_limit = 10000
        self._order(self.customer, 6000, confirm=True)
        self._invoice(self.customer, 4000, "2026-03-10")
        order = self._order(self.customer, 2400)
        with self.assertRaises(UserError) as error:
            self._confirm_as(order, self.salesman)
        self.assertIn(
            "exposure $\xa012,400.00 would exceed the limit of $\xa010,000.00 by $\xa02,400.00",
            str(error.exception),
        )
        self.assertEqual(order.state, "draft")
        # the quotation already says it
        self.assertIn("would exceed the limit", order.credit_check_message)
        # within the limit it goes through
        small = self._order(self.customer, 0)
        self._confirm_as(small, self.salesman)
        self.assertEqual(small.state, "sale")

    def test_no_limit_means_no_limit_rule(self):
        self._invoice(self.customer, 99999, "2026-03-10")
        order = self._order(self.customer, 50000)
        self._confirm_as(order, self.salesman)
        self.assertEqual(order.state, "sale")

    def test_overdue_rule(self):
        self._invoice(
            self.customer, 2000, "2026-01-22", due="2026-02-22"
        )  # 21 days late
        self._invoice(self.customer, 2210, "2026-02-01", due="2026-03-01")  # 14 days
        self._invoice(self.customer, 1000, "2026-02-10", due="2026-03-10")  # 5 days
        self._invoice(self.customer, 800, "2026-03-10", due="2026-04-10")  # not due
        order = self._order(self.customer, 100)
        with self.assertRaises(UserError) as error:
            self._confirm_as(order, self.salesman)
        self.assertIn(
            "3 invoice(s) overdue, $\xa05,210.00, oldest 21 days (tolerance 15 days)",
            str(error.exception),
        )
        self.company.credit_overdue_tolerance_days = 30
        self._confirm_as(order, self.salesman)
        self.assertEqual(order.state, "sale")

    def test_cash_only_rule(self):
        self._set_flags(self.customer, cash_only=True)
        order = self._order(self.contact, 100, payment_term=self.term_30)
        with self.assertRaises(UserError) as error:
            self._confirm_as(order, self.salesman)
        self.assertIn(
            "cash-only customer: payment terms must be immediate (the order uses “30 Days”)",
            str(error.exception),
        )
        order.payment_term_id = self.immediate
        self._confirm_as(order, self.salesman)
        self.assertEqual(order.state, "sale")

    def test_hold_rule(self):
        self.customer.with_user(self.credit_manager)._credit_set_flags(
            "Insurer withdrew cover", credit_hold=True
        )
        order = self._order(self.contact, 10)
        with self.assertRaises(UserError) as error:
            self._confirm_as(order, self.salesman)
        self.assertIn(
            "customer on credit hold since 03/15/2026: Insurer withdrew cover",
            str(error.exception),
        )

    def test_batch_confirmation(self):
        self.customer.credit_limit = 1000
        other = self._make_customer("Other Ltd")
        good = self._order(other, 5000)
        first = self._order(self.customer, 600)
        second = self._order(self.customer, 600)  # together over the limit
        orders = good | first | second
        with self.assertRaises(UserError) as error:
            orders.with_user(self.salesman).action_confirm()
        message = str(error.exception)
        self.assertIn(second.name, message)
        self.assertNotIn(first.name + " ", message)
        self.assertIn("by $\xa0200.00", message)
        self.assertEqual(set(orders.mapped("state")), {"draft"}, "nothing half-done")
        (good | first).with_user(self.salesman).action_confirm()
        self.assertEqual(first.state, "sale")

    def test_refused_order_is_parked(self):
        self._set_flags(self.customer, credit_hold=True)
        order = self._order(self.customer, 100)
        with self.assertRaises(UserError):
            self._confirm_as(order, self.salesman)
        # The refusal is recorded in a new transaction once the failed one
        # is rolled back: run what the rollback runs.
        self._after_rollback()
        self.assertTrue(order.credit_blocked)
        self.assertIn("credit hold", order.credit_block_reason)
        activities = self._activities(
            order, "credit_dunning.mail_activity_type_credit_blocked"
        )
        self.assertIn(self.salesman, activities.user_id)
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertIn(
            order, self.env["sale.order"].search([("credit_blocked", "=", True)])
        )
        # a second refusal does not pile up activities
        with self.assertRaises(UserError):
            self._confirm_as(order, self.salesman)
        self._after_rollback()
        self.assertEqual(
            len(
                self._activities(
                    order, "credit_dunning.mail_activity_type_credit_blocked"
                )
            ),
            len(activities),
        )

    def test_override_by_credit_manager(self):
        self.customer.credit_limit = 1000
        order = self._order(self.customer, 1500)
        other_order = self._order(self.customer, 1500)
        with self.assertRaises(UserError):
            self._confirm_as(order, self.salesman)
        self._after_rollback()
        self.assertTrue(order.credit_blocked)
        wizard = (
            self.env["credit.override.wizard"]
            .with_user(self.credit_manager)
            .create({"order_id": order.id, "reason": "Strategic customer, CFO agreed"})
        )
        self.assertIn("would exceed the limit", wizard.problems)
        self.assertAlmostEqual(wizard.amount, 1500)
        self.assertEqual(
            len(
                self._activities(
                    order, "credit_dunning.mail_activity_type_credit_blocked"
                )
            ),
            2,
        )
        before = order.message_ids
        wizard.action_approve()
        # one chatter entry, which says which tasks it closes
        self.assertEqual(len(order.message_ids - before), 1)
        self.assertIn("Tasks closed: ", (order.message_ids - before).body)
        self.assertEqual(order.credit_override_user_id, self.credit_manager)
        self.assertAlmostEqual(order.credit_override_amount, 1500)
        approval = order.message_ids.filtered(
            lambda m: "Credit approved by Marc Credit Manager" in m.body
        )
        self.assertEqual(len(approval), 1)
        body = approval.body
        self.assertIn("Strategic customer, CFO agreed", body)
        self.assertIn("1,500.00", body)
        # no longer shown as blocked: no ribbon, out of "Credit Blocked Orders",
        # nothing left to do for the salesperson and the managers
        self.assertFalse(order.credit_blocked)
        self.assertFalse(order.credit_check_message)
        self.assertNotIn(
            order,
            self.env["sale.order"].search(
                [("credit_blocked", "=", True), ("state", "in", ("draft", "sent"))]
            ),
        )
        self.assertFalse(
            self._activities(order, "credit_dunning.mail_activity_type_credit_blocked")
        )
        self._confirm_as(order, self.salesman)
        self.assertEqual(order.state, "sale")
        # the approval does not carry to another order
        with self.assertRaises(UserError):
            self._confirm_as(other_order, self.salesman)
        # nor to a copy
        self.assertFalse(order.copy().credit_override_user_id)

    def test_override_does_not_cover_a_bigger_order(self):
        self.customer.credit_limit = 1000
        order = self._order(self.customer, 1500)
        order.with_user(self.credit_manager)._credit_approve("OK up to 1500")
        order.order_line.price_unit = 3000
        with self.assertRaises(UserError):
            self._confirm_as(order, self.salesman)

    def test_override_refused_to_others(self):
        """A salesperson or a portal user gets an AccessError wherever they
        try to approve, and nothing changes."""
        self.customer.credit_limit = 1000
        order = self._order(self.customer, 1500)
        portal = new_test_user(
            self.env,
            login="cd_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        manager_wizard = (
            self.env["credit.override.wizard"]
            .with_user(self.credit_manager)
            .create({"order_id": order.id, "reason": "Checked"})
        )
        messages = len(order.message_ids)
        for user in (self.salesman, portal):
            with self.subTest(user=user.login):
                Wizard = self.env["credit.override.wizard"].with_user(user)
                with self.assertRaisesRegex(
                    AccessError, "Only a credit manager can approve"
                ):
                    Wizard.create({"order_id": order.id, "reason": "Please"})
                with self.assertRaises(AccessError):
                    manager_wizard.with_user(user).action_approve()
                with self.assertRaises(AccessError):
                    order.with_user(user).action_credit_open_override()
                with self.assertRaises(AccessError):
                    order.with_user(user)._credit_approve("Please")
                # nor written over RPC, even by the order's salesperson
                with self.assertRaises(AccessError):
                    order.with_user(user).write(
                        {
                            "credit_override_user_id": user.id,
                            "credit_override_amount": 1e9,
                        }
                    )
                with self.assertRaises(AccessError):
                    order.with_user(user).write({"credit_blocked": False})
        self.assertFalse(order.credit_override_user_id)
        self.assertEqual(len(order.message_ids), messages)
        with self.assertRaises(UserError):
            self._confirm_as(order, self.salesman)
        # a credit manager who forgets the reason is told so
        with self.assertRaisesRegex(UserError, "needs a reason") as error:
            order.with_user(self.credit_manager)._credit_approve("  ")
        self.assertNotIsInstance(error.exception, AccessError)
        self.assertFalse(order.credit_override_user_id)

    def test_invoice_refused_for_customer_on_hold(self):
        self._set_flags(self.customer, credit_hold=True)
        invoice = self._invoice(self.customer, 100, "2026-03-15", post=False)
        invoice.action_post()  # the option is off by default
        self.company.credit_block_invoice_on_hold = True
        invoice2 = self._invoice(self.customer, 100, "2026-03-15", post=False)
        with self.assertRaises(UserError) as error:
            invoice2.action_post()
        self.assertIn("customers on credit hold", str(error.exception))
        self.assertEqual(invoice2.state, "draft")

    def test_multi_company_rules(self):
        company_2 = self.setup_other_company(name="Company B")["company"]
        company_2.account_use_credit_limit = True
        self.env.user.company_ids |= company_2
        self.customer.with_company(company_2).credit_limit = 100
        self._invoice(self.customer, 5000, "2026-03-10")
        # company 1 has no limit for this customer
        order = self._order(self.customer, 100)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        order_2 = (
            self.env["sale.order"]
            .with_company(company_2)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company_2.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 150,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaises(UserError) as error:
            order_2.action_confirm()
        self.assertIn(
            "exposure $\xa0150.00 would exceed the limit of $\xa0100.00",
            str(error.exception),
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestConfirmationQueryCount(CreditDunningCommon):
    def _customer_with_invoices(self, name, count):
        customer = self._make_customer(name)
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": "2026-03-01",
                    "invoice_date_due": "2026-03-31",
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "x",
                                "quantity": 1,
                                "price_unit": 10,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
                for _ in range(count)
            ]
        )
        moves.action_post()
        customer.credit_limit = 1_000_000
        return customer

    def _prepare_check(self, customer):
        order = self._order(customer, 100)
        self.env.flush_all()
        self.env.invalidate_all()
        return order

    def test_same_queries_for_5_and_500_invoices(self):
        small = self._customer_with_invoices("Small", 5)
        big = self._customer_with_invoices("Big", 500)
        self._prepare_check(small)._credit_check_problems()  # warm caches
        order = self._prepare_check(small)
        before = self.env.cr.sql_log_count
        self.assertFalse(order._credit_check_problems())
        few = self.env.cr.sql_log_count - before
        self.assertLess(few, 10)
        order = self._prepare_check(big)
        with self.assertQueryCount(few):
            self.assertFalse(order._credit_check_problems())
        self.assertAlmostEqual(big.credit_receivable, 5000)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestOnlinePayment(CreditDunningCommon):
    def _paid_online(self, order):
        provider = (
            self.env["payment.provider"]
            .sudo()
            .create({"name": "Dummy", "state": "test", "code": "none"})
        )
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "reference": f"TX-{order.name}",
                    "operation": "online_redirect",
                    "partner_id": order.partner_id.id,
                    "sale_order_ids": [(6, 0, order.ids)],
                    "state": "done",
                }
            )
        )

    def test_prepaid_order_of_cash_only_customer_confirms(self):
        self._set_flags(self.customer, cash_only=True)
        term_30 = self.env["account.payment.term"].create(
            {
                "name": "30 Days",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 100, "nb_days": 30})
                ],
            }
        )
        order = self._order(self.customer, 500, payment_term=term_30)
        confirmed = self._paid_online(order)._check_amount_and_confirm_order()
        self.assertEqual(confirmed, order)
        self.assertEqual(order.state, "sale")

    def test_paid_order_of_customer_on_hold_is_parked(self):
        self._set_flags(self.customer, credit_hold=True)
        order = self._order(self.customer, 500)
        confirmed = self._paid_online(order)._check_amount_and_confirm_order()
        self.assertFalse(confirmed)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.credit_blocked)
        self.assertIn(
            self.credit_manager,
            self._activities(
                order, "credit_dunning.mail_activity_type_credit_blocked"
            ).user_id,
        )

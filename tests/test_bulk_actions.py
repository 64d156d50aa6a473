from functools import partial

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditDunningCommon
from .test_credit_dunning_run import DunningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestBulkActions(CreditDunningCommon):
    """The Action menu of the customers and invoices lists: one change for
    all the selected customers (wizards/credit_flag_wizard.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="cd_bulk_portal",
            name="Paula Portal",
            groups="base.group_portal",
        )
        cls.others = cls.env["res.partner"].create(
            [
                {"name": f"Client {i}", "is_company": True, "customer_rank": 1}
                for i in range(2)
            ]
        )
        cls.policy = cls.env["credit.dunning.policy"].create(
            {"name": "Gentle", "company_id": cls.company.id}
        )

    def _wizard(self, user, records, flag, value=True, **values):
        """The dialog the Action menu opens for ``records`` selected in their
        list."""
        return (
            self.env["credit.flag.wizard"]
            .with_user(user)
            .with_context(
                active_model=records._name,
                active_ids=records.ids,
                default_flag=flag,
                default_value=value,
            )
            .create(values)
        )

    def test_hold_from_the_customers_list(self):
        # a contact stands for its company
        selected = self.contact | self.others
        wizard = self._wizard(
            self.credit_manager, selected, "credit_hold", reason="insurer cut cover"
        )
        customers = self.customer | self.others
        self.assertEqual(wizard.partner_ids, customers)
        self.assertIn("3 customer(s) go on credit hold", wizard.description)
        wizard.action_apply()
        for customer in customers:
            self.assertTrue(customer.credit_hold)
            self.assertEqual(customer.credit_hold_reason, "insurer cut cover")
            self.assertEqual(customer.credit_hold_origin, "manual")
            note = customer.message_ids[0]
            self.assertIn("Credit hold set", note.body)
            self.assertIn("insurer cut cover", note.body)
            self.assertEqual(note.author_id, self.credit_manager.partner_id)
        # lifting them needs no reason of its own; one already off is left alone
        self._set_flags(self.others[0], credit_hold=False)
        self._wizard(
            self.credit_manager, customers, "credit_hold", False
        ).action_apply()
        self.assertFalse(any(customers.mapped("credit_hold")))
        self.assertIn("Credit hold lifted", self.customer.message_ids[0].body)

    def test_hold_needs_a_reason(self):
        wizard = self._wizard(self.credit_manager, self.others, "credit_hold")
        with self.assertRaisesRegex(UserError, "Give a reason"):
            wizard.action_apply()
        self.assertFalse(any(self.others.mapped("credit_hold")))

    def test_cash_only_from_the_invoices_list(self):
        invoices = (
            self._invoice(self.customer, 100, "2026-03-01")
            | self._invoice(self.customer, 200, "2026-03-02")
            | self._invoice(self.others[0], 300, "2026-03-03")
        )
        vendor = self.env["res.partner"].create(
            {"name": "Fournisseur", "is_company": True}
        )
        bill = self._invoice(vendor, 50, "2026-03-03", move_type="in_invoice")
        wizard = self._wizard(
            self.credit_manager, invoices | bill, "cash_only", reason="broken promises"
        )
        # the invoices' customers, each once; not the vendors of bills
        self.assertEqual(wizard.partner_ids, self.customer | self.others[0])
        wizard.action_apply()
        self.assertTrue(self.customer.cash_only and self.others[0].cash_only)
        self.assertFalse(self.others[1].cash_only)
        self.assertEqual(self.customer.cash_only_reason, "broken promises")
        self._wizard(self.credit_manager, invoices, "cash_only", False).action_apply()
        self.assertFalse(self.customer.cash_only or self.others[0].cash_only)

    def test_dunning_settings_by_a_collector(self):
        customers = self.customer | self.others
        wizard = self._wizard(
            self.collector, customers, "dunning_excluded", reason="key accounts"
        )
        wizard.action_apply()
        for customer in customers:
            self.assertTrue(customer.dunning_excluded)
            self.assertEqual(customer.dunning_excluded_reason, "key accounts")
            self.assertIn(
                "Excluded from dunning: key accounts", customer.message_ids[0].body
            )
        self._wizard(
            self.collector, customers, "collector", collector_id=self.collector.id
        ).action_apply()
        self.assertEqual(customers.mapped("credit_collector_id"), self.collector)
        self._wizard(
            self.collector, customers, "policy", policy_id=self.policy.id
        ).action_apply()
        self.assertEqual(customers.mapped("credit_dunning_policy_id"), self.policy)
        # a collector may not put customers on hold
        with self.assertRaises(AccessError):
            self._wizard(self.collector, customers, "credit_hold", reason="no")
        self.assertFalse(any(customers.mapped("credit_hold")))

    def test_refused_to_salespeople_and_portal_users(self):
        invoice = self._invoice(self.customer, 100, "2026-03-01")
        for user in (self.salesman, self.portal_user):
            for flag in (
                "credit_hold",
                "cash_only",
                "dunning_excluded",
                "collector",
                "policy",
            ):
                for records in (self.customer, invoice):
                    with (
                        self.subTest(user=user.login, flag=flag, model=records._name),
                        self.assertRaises(AccessError),
                    ):
                        self._wizard(
                            user,
                            records,
                            flag,
                            reason="mine",
                            collector_id=user.id,
                            policy_id=self.policy.id,
                        )
        # a wizard made by a credit manager does not serve them either
        wizard = self._wizard(
            self.credit_manager, self.customer, "credit_hold", reason="x"
        )
        for user in (self.salesman, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).action_apply()
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.customer.dunning_excluded)
        self.assertFalse(self.customer.credit_collector_id)

    def _customers(self, count):
        return self.env["res.partner"].create(
            [
                {"name": f"Bulk {count}-{i}", "is_company": True, "customer_rank": 1}
                for i in range(count)
            ]
        )

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking messages
        return self.env.cr.sql_log_count - start

    def _bulk_hold_queries(self, count):
        """Queries of the Action menu's Put on Hold for ``count`` customers
        (the dialog and its Put on Hold button), and of the hold itself
        (res.partner._credit_set_flags) for as many others."""
        customers, others = self._customers(count), self._customers(count)

        def bulk():
            self._wizard(
                self.credit_manager, customers, "credit_hold", reason="sector"
            ).action_apply()

        def direct():
            others.with_user(self.credit_manager)._credit_set_flags(
                "sector", credit_hold=True
            )

        queries = self._queries(bulk), self._queries(direct)
        self.assertTrue(all((customers | others).mapped("credit_hold")))
        return queries

    def test_bulk_hold_queries(self):
        """Putting 200 customers on hold from the Action menu costs the
        queries of putting 20 on hold: one write and one batch of chatter
        notes for all, the dialog adding a fixed number. Odoo's ORM inserts
        rows 100 at a time: 200 customers take at most two more INSERTs than
        20 (measured: 9 queries for 20, 11 for 200)."""
        self._bulk_hold_queries(2)  # Odoo's caches warm, as in a running server
        bulk_20, direct_20 = self._bulk_hold_queries(20)
        bulk_200, direct_200 = self._bulk_hold_queries(200)
        counts = f"20 customers: {bulk_20} queries ({direct_20} for the hold alone), "
        counts += f"200: {bulk_200} ({direct_200})"
        self.assertEqual(bulk_200 - direct_200, bulk_20 - direct_20, counts)
        self.assertLessEqual(direct_200 - direct_20, 2, counts)
        self.assertLessEqual(bulk_200, 20, counts)

    def _apply_wizard(self, customers, flag, values):
        self._wizard(self.credit_manager, customers, flag, **values).action_apply()

    def test_other_bulk_actions_queries(self):
        """Do Not Dun, a collector, a policy: 200 customers cost the queries
        of 20 but a few (Odoo writes rows 100 at a time: measured 12 and 15
        for Do Not Dun), and each customer's chatter says what changed."""
        for flag, values in (
            ("dunning_excluded", {"reason": "legal case"}),
            ("collector", {"collector_id": self.collector.id}),
            ("policy", {"policy_id": self.policy.id}),
        ):
            counts = []
            for count in (2, 20, 200):
                customers = self._customers(count)
                counts.append(
                    self._queries(partial(self._apply_wizard, customers, flag, values))
                )
            with self.subTest(flag=flag):
                self.assertLessEqual(counts[2] - counts[1], 4, counts)
                notes = customers.message_ids.filtered(
                    lambda m: m.author_id == self.credit_manager.partner_id
                )
                self.assertEqual(set(notes.mapped("res_id")), set(customers.ids))

    def test_bulk_hold_notes_each_customer(self):
        """Each customer held in bulk gets its own note in its chatter, by
        the credit manager, with the reason."""
        customers = self._customers(3)
        self._wizard(
            self.credit_manager, customers, "credit_hold", reason="sector in trouble"
        ).action_apply()
        for customer in customers:
            notes = customer.message_ids.filtered(
                lambda m: "sector in trouble" in (m.body or "")
            )
            self.assertEqual(len(notes), 1, customer.name)
            self.assertEqual(notes.author_id, self.credit_manager.partner_id)
            self.assertIn("Credit hold set", notes.body)
            self.assertEqual(customer.credit_hold_reason, "sector in trouble")


@tagged("post_install", "-at_install")
class TestSendReminderNow(DunningCommon):
    """Send Reminder Now from the lists: the dunning run, for the selected
    customers only (wizards/credit_dunning_send_now.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="cd_send_portal",
            name="Pia Portal",
            groups="base.group_portal",
        )
        cls.second = cls._make_customer("Martin SA", "martin@example.com")
        cls.third = cls._make_customer("Durand SAS", "durand@example.com")

    def _send_now(self, user, records, check=None):
        wizard = (
            self.env["credit.dunning.send.now"]
            .with_user(user)
            .with_context(active_model=records._name, active_ids=records.ids)
            .create({})
        )
        if check:
            check(wizard)  # what the dialog says before Send Now
        return wizard, wizard.action_send()

    def test_only_the_selected_customers_are_reminded(self):
        invoices = {
            partner: self._invoice(partner, 500, "2026-02-01", due="2026-03-01")
            for partner in (self.customer, self.second, self.third)
        }
        with freeze_time("2026-03-06"):
            # selected from the invoices list: the invoices' customers
            def check(wizard):
                self.assertEqual(wizard.partner_ids, self.customer | self.second)
                self.assertIn("2 of the 2 selected customer(s)", wizard.description)

            self._send_now(
                self.collector,
                invoices[self.customer] | invoices[self.second],
                check,
            )
            runs = self.Run.search([])
            self.assertEqual(len(runs), 1)
            reminded = runs.communication_ids.partner_id
            self.assertEqual(reminded, self.customer | self.second)
            self.assertEqual(len(runs.communication_ids.level_id), 1)
            self.assertFalse(invoices[self.third].dunning_level_id)
            # once per invoice and level: again, nothing new
            _wizard, action = self._send_now(
                self.collector, self.customer | self.second
            )
            self.assertEqual(action["params"]["title"], "Nothing to send")
            self.assertEqual(
                len(self.env["credit.dunning.communication"].search([])), 2
            )
        # the daily run sends the others' reminder, not the selected ones' twice
        run = self._run("2026-03-06")
        self.assertEqual(run.communication_ids.partner_id, self.third)

    def test_refused_to_salespeople_and_portal_users(self):
        invoice = self._invoice(self.customer, 500, "2026-02-01", due="2026-03-01")
        wizard = (
            self.env["credit.dunning.send.now"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({})
        )
        for user in (self.salesman, self.portal_user):
            for records in (self.customer, invoice):
                with (
                    self.subTest(user=user.login, model=records._name),
                    self.assertRaises(AccessError),
                ):
                    self._send_now(user, records)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).action_send()
        self.assertFalse(self.env["credit.dunning.communication"].search([]))

"""Who may do what: every public entry point of credit control tried from a
salesperson and from a portal user (a customer's login), and the record
rules that keep a salesperson to his own customers."""

import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon


class AccessCommon(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the salesperson of the report had contact rights
        cls.salesman.group_ids |= cls.env.ref("base.group_partner_manager")
        cls.portal_user = new_test_user(
            cls.env,
            login="cd_portal",
            name="Paula Portal",
            groups="base.group_portal",
        )
        # a portal user of the customer itself: the worst case
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_customer = cls._make_customer(
            "Martin SA", "martin@example.com", salesman=cls.other_salesman
        )
        cls.invoice = cls._invoice(cls.customer, 1000, "2026-01-02", due="2026-02-01")
        cls.other_invoice = cls._invoice(
            cls.other_customer, 500, "2026-01-02", due="2026-02-01"
        )

    def _outsiders(self):
        return (self.salesman, self.portal_user)


@tagged("post_install", "-at_install")
class TestPublicEntryPoints(AccessCommon):
    def test_flags_refused_to_salesperson_and_portal(self):
        for user in self._outsiders():
            customer = self.customer.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    customer.credit_set_flags("because", credit_hold=True)
                with self.assertRaises(AccessError):
                    customer.write({"credit_hold": True})
                with self.assertRaises(AccessError):
                    customer.write({"cash_only": True})
                with self.assertRaises(AccessError):
                    self.env["credit.flag.wizard"].with_user(user).create(
                        {
                            "partner_id": self.customer.id,
                            "flag": "credit_hold",
                            "value": True,
                            "reason": "x",
                        }
                    )
        self.assertFalse(self.customer.credit_hold or self.customer.cash_only)

    def test_do_not_dun_belongs_to_credit_users(self):
        for user in self._outsiders():
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).write(
                    {"dunning_excluded": True, "dunning_excluded_reason": "friend"}
                )
        self.assertFalse(self.customer.dunning_excluded)
        # a collector may, with a reason, and the chatter says who and why
        customer = self.customer.with_user(self.collector)
        with self.assertRaisesRegex(UserError, "Reason Not to Dun"):
            customer.write({"dunning_excluded": True})
        self.assertFalse(self.customer.dunning_excluded)
        customer.write({"dunning_excluded": True, "dunning_excluded_reason": "lawyer"})
        self.assertTrue(self.customer.dunning_excluded)
        note = self.customer.message_ids[0]
        self.assertEqual(note.author_id, self.collector.partner_id)
        self.assertIn("Excluded from dunning: lawyer", note.body)
        # the contacts follow their company, whoever saves them
        self.assertTrue(self.contact.dunning_excluded)

    def test_dunning_settings_belong_to_credit_users(self):
        policy = self.env.ref("credit_dunning.credit_dunning_policy_default")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).credit_collector_id = self.salesman
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).credit_dunning_policy_id = policy
        self.customer.with_user(self.collector).credit_collector_id = self.collector
        self.assertIn("Collector", self.customer.message_ids[0].body)
        self.assertIn(self.collector.name, self.customer.message_ids[0].body)

    def test_credit_limit_belongs_to_credit_managers(self):
        self.customer.credit_limit = 8000
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).credit_limit = 1
        # an invoicing user who is not a credit manager
        billing = new_test_user(
            self.env,
            login="cd_billing",
            name="Bill Billing",
            groups="account.group_account_invoice",
        )
        with self.assertRaises(AccessError):
            self.customer.with_user(billing).credit_limit = 1
        self.assertEqual(self.customer.credit_limit, 8000)
        self.customer.with_user(self.credit_manager).credit_limit = 12000
        self.assertEqual(self.customer.credit_limit, 12000)
        note = self.customer.message_ids[0]
        self.assertEqual(note.author_id, self.credit_manager.partner_id)
        self.assertIn("Credit Limit", note.body)
        self.assertIn("8,000.00", note.body)
        self.assertIn("12,000.00", note.body)

    def test_exposure_and_promise_api_refused(self):
        for user in self._outsiders():
            customer = self.customer.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    customer.credit_exposure_get()
                with self.assertRaises(AccessError), freeze_time("2026-02-10"):
                    customer.credit_record_promise("2026-02-20")
                with self.assertRaises(AccessError):
                    self.env["credit.dunning.promise.wizard"].with_user(user).create(
                        {
                            "partner_id": self.customer.id,
                            "date": "2026-02-20",
                            "move_ids": [(6, 0, self.invoice.ids)],
                        }
                    )
        self.assertFalse(self.env["credit.dunning.promise"].search([]))

    def test_disputes_refused(self):
        for user in self._outsiders():
            invoice = self.invoice.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    invoice.action_dunning_dispute()
                with self.assertRaises(AccessError):
                    invoice.action_dunning_resolve_dispute()
                with self.assertRaises(AccessError):
                    self.env["credit.dunning.dispute.wizard"].with_user(user).create(
                        {"move_ids": [(6, 0, self.invoice.ids)], "reason": "x"}
                    )
        # an accountant who is not in credit control cannot take an invoice
        # out of the ladder through the field either
        billing = new_test_user(
            self.env,
            login="cd_billing2",
            name="Bill Billing",
            groups="account.group_account_invoice",
        )
        with self.assertRaises(AccessError):
            self.invoice.with_user(billing).write({"dunning_dispute": True})
        self.assertFalse(self.invoice.dunning_dispute)
        self.invoice.with_user(self.collector)._dunning_set_dispute("wrong price")
        self.assertTrue(self.invoice.dunning_dispute)
        with self.assertRaises(AccessError):
            self.invoice.with_user(billing).action_dunning_resolve_dispute()
        self.assertTrue(self.invoice.dunning_dispute)

    def test_penalties_taken_back_by_managers_only(self):
        for user in (self.salesman, self.portal_user, self.collector):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.invoice.with_user(user).action_credit_reverse_penalties()

    def test_override_wizard_is_for_credit_managers(self):
        order = self._order(self.customer, 100)
        for user in self._outsiders():
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["credit.override.wizard"].with_user(user).create(
                    {"order_id": order.id, "reason": "trust me"}
                )
        self.assertFalse(order.credit_override_user_id)

    def test_reminder_actions_are_for_credit_users(self):
        with freeze_time("2026-02-20"):
            comm = self.env["credit.dunning.run"]._run(self.company).communication_ids
        mine = comm.filtered(lambda c: c.partner_id == self.customer)
        for method in ("action_print_letter", "action_record_promise"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(mine.with_user(self.salesman), method)()
        self.assertTrue(mine.with_user(self.collector).action_print_letter())

    def test_letter_report_is_for_credit_users(self):
        report = self.env.ref("credit_dunning.action_report_dunning_letter")
        self.assertEqual(
            report.group_ids, self.env.ref("credit_dunning.group_credit_control_user")
        )


@tagged("post_install", "-at_install")
class TestRecordRules(AccessCommon):
    def _remind_everyone(self):
        with freeze_time("2026-02-20"):
            return self.env["credit.dunning.run"]._run(self.company)

    def test_salesperson_reads_own_customers_lines_only(self):
        run = self._remind_everyone()
        Line = self.env["credit.dunning.communication.line"]
        self.assertEqual(
            Line.search([]).communication_id.partner_id,
            self.customer | self.other_customer,
        )
        mine = Line.with_user(self.salesman).search([])
        self.assertTrue(mine)
        self.assertEqual(mine.communication_id.partner_id, self.customer)
        self.assertNotIn(self.other_invoice, mine.move_id)
        other_line = run.communication_ids.filtered(
            lambda c: c.partner_id == self.other_customer
        ).line_ids
        with self.assertRaises(AccessError):
            other_line.with_user(self.salesman).read(["amount_residual"])
        # credit users see all; portal users nothing
        self.assertEqual(
            Line.with_user(self.collector).search_count([]), Line.search_count([])
        )
        with self.assertRaises(AccessError):
            Line.with_user(self.portal_user).search([])

    def test_salesperson_reads_own_reminders_and_promises_only(self):
        self._remind_everyone()
        Comm = self.env["credit.dunning.communication"]
        self.assertEqual(
            Comm.with_user(self.salesman).search([]).partner_id, self.customer
        )
        with freeze_time("2026-02-21"):
            self.other_customer.with_user(self.collector).credit_record_promise(
                "2026-03-01"
            )
            self.customer.with_user(self.collector).credit_record_promise("2026-03-01")
        self.assertEqual(
            self.env["credit.dunning.promise"]
            .with_user(self.salesman)
            .search([])
            .partner_id,
            self.customer,
        )


@tagged("post_install", "-at_install")
class TestIntegratorApi(AccessCommon):
    def test_flags_with_reason(self):
        customer = self.contact.with_user(self.credit_manager)
        with self.assertRaisesRegex(UserError, "reason"):
            customer.credit_set_flags(" ", credit_hold=True)
        with self.assertRaisesRegex(UserError, "which flag"):
            customer.credit_set_flags("nothing")
        # on a contact, the company decides
        changed = customer.credit_set_flags("insurer cut cover", credit_hold=True)
        self.assertEqual(changed, self.customer.ids)
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_reason, "insurer cut cover")
        self.assertEqual(self.customer.credit_hold_origin, "manual")
        self.assertIn("insurer cut cover", self.customer.message_ids[0].body)
        # None leaves a flag alone
        customer.credit_set_flags("paid", credit_hold=False, cash_only=None)
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.customer.cash_only)
        # a manager writing the field itself is told how to do it
        with self.assertRaisesRegex(UserError, "credit_set_flags"):
            self.customer.with_user(self.credit_manager).cash_only = True

    def test_exposure(self):
        self.customer.credit_limit = 5000
        with freeze_time("2026-02-01"):
            self._order(self.customer, 300, confirm=True)
        with freeze_time("2026-02-10"):
            (figures,) = self.customer.with_user(self.collector).credit_exposure_get()
        self.assertEqual(figures["credit_receivable"], 1000)
        self.assertEqual(figures["credit_uninvoiced"], 300)
        self.assertEqual(figures["credit_exposure"], 1300)
        self.assertEqual(figures["credit_remaining"], 3700)
        self.assertEqual(figures["credit_overdue_amount"], 1000)
        self.assertEqual(figures["credit_oldest_overdue_days"], 9)
        self.assertEqual(figures["credit_limit"], 5000)
        self.assertEqual(figures["currency"], self.currency.name)

    def test_promise(self):
        second = self._invoice(self.customer, 200, "2026-01-05", due="2026-02-04")
        with freeze_time("2026-02-10"):
            with self.assertRaisesRegex(ValidationError, "date to come"):
                self.customer.with_user(self.collector).credit_record_promise(
                    "2026-02-09"
                )
            promise_id = self.customer.with_user(self.collector).credit_record_promise(
                "2026-02-20", note="phoned"
            )
        promise = self.env["credit.dunning.promise"].browse(promise_id)
        self.assertEqual(promise.move_ids, self.invoice | second)
        self.assertEqual(promise.amount, 1200)
        self.assertEqual(promise.user_id, self.collector)
        self.assertEqual(promise.state, "open")


@tagged("post_install", "-at_install")
class TestIntegratorApiOverHttp(AccessCommon, HttpCase):
    """The README's example, as an integrator's script runs it (JSON-2)."""

    def _json2(self, user, model, method, **payload):
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "script", datetime.now() + timedelta(hours=12))
        )
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"bearer {key}",
            },
        )

    def test_json2_hold_and_exposure(self):
        response = self._json2(
            self.credit_manager,
            "res.partner",
            "credit_set_flags",
            ids=self.customer.ids,
            reason="insurer cut cover",
            credit_hold=True,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), self.customer.ids)
        self.env.invalidate_all()
        self.assertTrue(self.customer.credit_hold)
        response = self._json2(
            self.credit_manager,
            "res.partner",
            "credit_exposure_get",
            ids=self.customer.ids,
        )
        self.assertEqual(response.json()[0]["credit_receivable"], 1000)

    @mute_logger("odoo.http")
    def test_json2_refused_to_salesperson(self):
        response = self._json2(
            self.salesman,
            "res.partner",
            "credit_set_flags",
            ids=self.customer.ids,
            reason="x",
            credit_hold=True,
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(
            response.json()["name"], "odoo.exceptions.AccessError", response.text
        )
        self.env.invalidate_all()
        self.assertFalse(self.customer.credit_hold)

"""Who may start a dunning run, and the run under races and crashes.

The last class runs two real database connections at once on committed data,
which it removes at the end; the others work in the test's transaction."""

import logging
import threading
import time
from contextlib import contextmanager
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time
from lxml import etree

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.modules.registry import Registry
from odoo.service.model import call_kw
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.credit_dunning.dunning_levels import credit_dunning_run as run_module

from .test_credit_dunning_run import DunningCommon

# Log levels are given as numbers in these tests: Odoo also names its level
# 25 "INFO", and assertLogs(name, "INFO") would miss the INFO messages.
RUN_LOGGER = run_module._logger.name


class RunCommon(DunningCommon):
    @contextmanager
    def _committing_env(self):
        """An environment whose cursor commits and rolls back (savepoints of
        the test's transaction), as the cron's does."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            yield self.env(cr=cr)

    def _reminders_of(self, partner):
        return self.env["credit.dunning.communication"].search(
            [("partner_id", "=", partner.id)]
        )

    def _assert_reminded_once(self, *partners):
        for partner in partners:
            self.assertEqual(len(self._reminders_of(partner)), 1, partner.name)
            self.assertEqual(len(self._mails_to(partner)), 1, partner.name)
        duplicates = self.env["credit.dunning.communication.line"]._read_group(
            [("level_id", "!=", False)],
            ["move_id", "level_id"],
            having=[("__count", ">", 1)],
        )
        self.assertEqual(duplicates, [], "one reminder line per (invoice, level)")


@tagged("post_install", "-at_install")
class TestDunningRunRights(RunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="cd_portal", groups="base.group_portal"
        )
        cls.invoice = cls._invoice(cls.customer, 100, "2026-01-01", due="2026-03-09")

    def test_salesman_and_portal_user_cannot_run_or_preview(self):
        for user in (self.salesman, self.portal_user):
            for Run in (
                self.Run.with_user(user),
                self.env(user=user)["credit.dunning.run"],
            ):
                with self.subTest(user=user.login), freeze_time("2026-03-15"):
                    with self.assertRaisesRegex(AccessError, "credit control users"):
                        Run.action_run_now()
                    with self.assertRaisesRegex(AccessError, "credit control users"):
                        Run.action_preview()
                    with self.assertRaisesRegex(AccessError, "credit control users"):
                        Run.env["credit.dunning.preview"].create({})
        self.assertFalse(self.Run.search([]), "no run record")
        self.assertFalse(self.env["credit.dunning.communication"].search([]))
        self.assertFalse(self.env["credit.dunning.preview"].search([]))
        self.assertFalse(self.invoice.dunning_level_id)
        self.assertFalse(self._mails_to(self.customer))

    def test_credit_user_previews_then_runs(self):
        with freeze_time("2026-03-15"):
            action = self.Run.with_user(self.collector).action_preview()
            preview = (
                self.env[action["res_model"]]
                .with_user(self.collector)
                .browse(action["res_id"])
            )
            self.assertIn("Dupont Industrie", preview.summary)
            self.assertFalse(self._mails_to(self.customer), "a preview sends nothing")
            result = preview.action_run()
        run = self.Run.browse(result["res_id"])
        self.assertEqual(run.user_id, self.collector)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.communication_ids.partner_id, self.customer)
        self._assert_reminded_once(self.customer)

    def test_run_now_asks_for_a_confirmation(self):
        """The two buttons that start a run ask first; the menu opens the
        preview instead of running."""
        buttons = [
            etree.fromstring(
                self.env[model].get_view(view_type=view_type)["arch"]
            ).xpath("//button[@name=$name]", name=method)[0]
            for model, view_type, method in (
                ("credit.dunning.run", "list", "action_run_now"),
                ("credit.dunning.preview", "form", "action_run"),
            )
        ]
        for button in buttons:
            self.assertIn("cannot be undone", button.get("confirm"))
        menu_action = self.env.ref("credit_dunning.credit_dunning_run_action_run_now")
        with freeze_time("2026-03-15"):
            opened = menu_action.with_user(self.collector).run()
        self.assertEqual(opened["res_model"], "credit.dunning.preview")
        self.assertFalse(self.Run.search([]))
        self.assertFalse(self._mails_to(self.customer))
        # the list's button, called as the web client calls it (with the ids
        # of the selected runs: none; it failed on them before)
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        with freeze_time("2026-03-15"):
            action = call_kw(
                self.Run.with_user(self.collector), "action_run_now", [[]], {}
            )
        self.assertEqual(action["res_model"], "credit.dunning.run")
        self.assertEqual(self.Run.browse(action["res_id"]).communication_count, 1)

    def test_preview_of_a_company_not_the_users(self):
        company_2 = self.setup_other_company(name="Company B")["company"]
        self.assertNotIn(company_2, self.collector.company_ids)
        with self.assertRaisesRegex(AccessError, "Company B"):
            self.env["credit.dunning.preview"].with_user(self.collector).create(
                {"company_id": company_2.id}
            )

    def _runs_listed_by_default(self, user):
        """The runs the list shows when it opens (its default filters)."""
        action = self.env.ref("credit_dunning.credit_dunning_run_action")
        arch = etree.fromstring(
            self.env["credit.dunning.run"].get_view(
                action.search_view_id.id, view_type="search"
            )["arch"]
        )
        domain = Domain.TRUE
        for key, value in safe_eval(action.context).items():
            if key.startswith("search_default_") and value:
                name = key.removeprefix("search_default_")
                node = arch.xpath("//filter[@name=$name]", name=name)[0]
                domain &= Domain(safe_eval(node.get("domain")))
        return self.Run.with_user(user).search(domain)

    def test_empty_runs_do_not_clutter_the_list(self):
        # nothing due on 2026-03-01: a manual run leaves no record behind
        with freeze_time("2026-03-01"):
            action = self.Run.with_user(self.collector).action_run_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("No customer reaches", action["params"]["message"])
        self.assertFalse(self.Run.search([]))
        # the cron keeps its daily trace, even empty
        with freeze_time("2026-03-01"), self._committing_env() as env:
            env["credit.dunning.run"]._cron_run()
        empty = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(empty.state, "done")
        self.assertFalse(empty.communication_ids)
        # a run with reminders and a failed run are listed, the empty one not
        with freeze_time("2026-03-15"):
            busy = self.Run._run(self.company)
            failed = self.Run.create({"company_id": self.company.id})
            failed._close_as_failed("test")
        self.assertEqual(self._runs_listed_by_default(self.collector), busy | failed)


@tagged("post_install", "-at_install")
class TestDunningRunCommitted(RunCommon):
    """The cron's mode: each batch in a transaction of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Company B")["company"]
        cls.company_2.email = "company.b@example.com"  # the reminders' sender
        cls.invoice = cls._invoice(cls.customer, 100, "2026-01-01", due="2026-03-09")
        cls.customer_b = cls._make_customer("Bernard SA", "bernard@example.com")
        cls.invoice_b = cls._invoice(
            cls.customer_b, 900, "2026-01-01", due="2026-03-09", company=cls.company_2
        )

    @contextmanager
    def _patched_batch(self, replacement):
        with patch.object(
            type(self.env["credit.dunning.run"]), "_execute_batch", replacement
        ):
            yield

    def _cron(self, day="2026-03-15"):
        with freeze_time(day), self._committing_env() as env:
            env["credit.dunning.run"]._cron_run()

    def test_one_company_failure_never_skips_another(self):
        execute_batch = self.registry["credit.dunning.run"]._execute_batch

        def broken_for_company_1(run, plan, today):
            if run.company_id == self.company:
                raise ValueError("reminder template broken")
            return execute_batch(run, plan, today)

        with (
            self._patched_batch(broken_for_company_1),
            self.assertLogs(RUN_LOGGER, logging.ERROR) as logs,
        ):
            self._cron()
        self.assertIn(f"Dunning run of {self.company.name}", logs.output[0])
        failed = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(failed.state, "failed")
        self.assertIn("reminder template broken", failed.log)
        self.assertIn("0 customer(s) reminded", failed.log)
        self.assertFalse(self.invoice.dunning_level_id, "the failed batch left nothing")
        done = self.Run.search([("company_id", "=", self.company_2.id)])
        self.assertEqual(done.state, "done")
        self.assertEqual(done.communication_ids.partner_id, self.customer_b)
        # repaired, the next run reminds company 1's customer, once
        self._cron()
        self._assert_reminded_once(self.customer, self.customer_b)

    def test_conflicting_batch_is_retried_in_a_new_transaction(self):
        execute_batch = self.registry["credit.dunning.run"]._execute_batch
        calls = []

        def conflict_once(run, plan, today):
            calls.append(run.company_id)
            if len(calls) == 1:
                execute_batch(run, plan, today)  # rolled back by the retry
                raise psycopg2.errors.SerializationFailure("concurrent update")
            return execute_batch(run, plan, today)

        with (
            self._patched_batch(conflict_once),
            self.assertLogs(RUN_LOGGER, logging.INFO) as logs,
        ):
            self._cron()
        self.assertIn("conflict with another transaction", logs.output[0])
        self.assertEqual(calls.count(calls[0]), 2, "the batch ran again")
        runs = self.Run.search([])
        self.assertEqual(set(runs.mapped("state")), {"done"})
        self._assert_reminded_once(self.customer, self.customer_b)

    def test_batch_conflicting_every_time_is_left_to_the_next_run(self):
        execute_batch = self.registry["credit.dunning.run"]._execute_batch

        def always_conflicts_for_company_1(run, plan, today):
            if run.company_id == self.company:
                raise psycopg2.errors.SerializationFailure("concurrent update")
            return execute_batch(run, plan, today)

        with (
            self._patched_batch(always_conflicts_for_company_1),
            self.assertNoLogs(RUN_LOGGER, logging.WARNING),
        ):
            self._cron()
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(run.state, "done", "the job ends")
        self.assertIn("1 customer(s) left to the next run", run.log)
        self.assertFalse(self._reminders_of(self.customer))
        self.assertEqual(len(self._reminders_of(self.customer_b)), 1)
        self._cron()
        self._assert_reminded_once(self.customer, self.customer_b)

    def test_interrupted_run_is_closed_and_taken_over(self):
        """A run that dies after a committed batch: the next run closes it as
        failed, with what it had done, and reminds the others, once."""
        customer_2 = self._make_customer("Second Ltd", "second@example.com")
        self._invoice(customer_2, 200, "2026-01-01", due="2026-03-09")
        execute_batch = self.registry["credit.dunning.run"]._execute_batch

        class Killed(BaseException):
            """What the worker gets when its process is killed."""

        def dies_at_second_batch(run, plan, today):
            if run.communication_ids:
                raise Killed
            return execute_batch(run, plan, today)

        # not assertRaises: Odoo's rolls back what its block did
        with (
            patch.object(run_module, "BATCH_SIZE", 1),
            self._patched_batch(dies_at_second_batch),
            freeze_time("2026-03-15"),
        ):
            try:
                with self._committing_env() as env:
                    env["credit.dunning.run"]._run(self.company, commit=True)
            except Killed as killed:
                self.assertTrue(killed, "the run was stopped after its first batch")
            else:
                self.fail("the run was not killed")
        stale = self.Run.search([])
        self.assertEqual(stale.state, "running", "killed: nothing closed it")
        first = stale.communication_ids.partner_id
        self.assertEqual(len(first), 1, "its first batch was committed")

        with freeze_time("2026-03-15"):
            action = self.Run.with_user(self.collector).action_run_now()
        run = self.Run.browse(action["res_id"])
        self.assertEqual(stale.state, "failed")
        self.assertIn("Interrupted before its end", stale.log)
        self.assertIn("1 customer(s) reminded, 1 invoice(s) moved up", stale.log)
        self.assertEqual(stale.invoice_count, 1)
        self.assertIn("Closed 1 interrupted run(s)", run.log)
        self.assertEqual(
            run.communication_ids.partner_id, (self.customer | customer_2) - first
        )
        self._assert_reminded_once(self.customer, customer_2)


# ----------------------------------------------------------------------
# Two real database connections at once
# ----------------------------------------------------------------------
# Tables that a run, its reminders and this test's set-up write to: what the
# test committed is removed from them at the end (rows newer than before).
_SWEPT_TABLES = (
    "mail_notification",
    "mail_mail",
    "mail_message",
    "mail_followers",
    "mail_activity",
    "mail_compose_message",
    "sms_sms",
    "bus_bus",
    "ir_cron_trigger",
    "ir_cron_progress",
    # the cron's steps after the runs
    "credit_payment_behaviour",
    "credit_dunning_snapshot",
)


@tagged("post_install", "-at_install")
class TestDunningRunConcurrency(BaseCase):
    """A "Run Dunning Now" and the cron at the same time, and a run killed
    with its server, each run in its own database connection. The data is
    committed (another connection sees nothing else) and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.cron = env.ref("credit_dunning.ir_cron_dunning_run")
            cls.cron_state = cls.cron.read(
                ["nextcall", "lastcall", "failure_count", "first_failure_date"]
            )[0]
            del cls.cron_state["id"]
            cls.max_ids = cls._max_ids(env)
            # a second company puts its creator in the multi-company group
            cls.multi_company_users = env.ref("base.group_multi_company").user_ids.ids
            cls.addClassCleanup(cls._remove_committed_data)
            companies = env["res.company"].create(
                [
                    {"name": f"Dunning Race {letter}", "email": f"{letter}@example.com"}
                    for letter in "AB"
                ]
            )
            # the least accounting an invoice needs: a company with a chart of
            # accounts could not be deleted at the end
            cls.accounts = {}
            for company in companies:
                Account = env["account.account"].with_company(company)
                receivable = Account.create(
                    {
                        "name": "Receivable",
                        "code": f"RACE{company.id}1",
                        "account_type": "asset_receivable",
                        "reconcile": True,
                    }
                )
                income = Account.create(
                    {
                        "name": "Sales",
                        "code": f"RACE{company.id}2",
                        "account_type": "income",
                    }
                )
                env["account.journal"].with_company(company).create(
                    {
                        "name": "Sales",
                        "code": f"RS{company.id}",
                        "type": "sale",
                        "default_account_id": income.id,
                    }
                )
                cls.accounts[company.id] = receivable.id
            cls.company_a, cls.company_b = companies.ids
            cls.collector_id = new_test_user(
                env,
                login="cd_race_collector",
                groups="credit_dunning.group_credit_control_user",
                company_id=companies[0].id,
                company_ids=[Command.set(companies.ids)],
            ).id

    @classmethod
    def _max_ids(cls, env):
        tables = (*_SWEPT_TABLES, "ir_attachment")
        models = (
            "credit.dunning.communication",
            "credit.dunning.run",
            "account.move",
            "res.partner",
            "res.users",
            "account.journal",
            "account.account",
            "res.company",
            "resource.calendar",
            "ir.sequence",
            "payment.provider",
        )
        return {
            name: env.execute_query(
                SQL(
                    "SELECT COALESCE(MAX(id), 0) FROM %s",
                    SQL.identifier(env[name]._table if "." in name else name),
                )
            )[0][0]
            for name in (*models, *tables)
        }

    @classmethod
    def _remove_committed_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            cls._remove_test_data(env)
            newer = cls._newer(env)
            users = newer("res.users")
            companies = newer("res.company")
            users.unlink()
            # payment_demo (in the test database) copies its provider to
            # each new company
            newer("payment.provider").unlink()
            newer("account.journal").unlink()
            newer("res.partner").filtered(
                lambda p: p not in companies.partner_id
            ).unlink()
            newer("account.account").unlink()
            partners = companies.partner_id
            companies.unlink()
            partners.unlink()
            # made with each company: its working hours, its sequences
            newer("resource.calendar").unlink()
            newer("ir.sequence").unlink()
            env.ref("base.group_multi_company").user_ids = [
                Command.set(cls.multi_company_users)
            ]
            env.ref("credit_dunning.ir_cron_dunning_run").write(cls.cron_state)
            left = {
                name: count
                for name, count in cls._max_ids(env).items()
                if count != cls.max_ids[name]
            }
            if left:
                raise AssertionError(f"committed test data left behind: {left}")

    @classmethod
    def _newer(cls, env):
        def newer(model):
            return env[model].search([("id", ">", cls.max_ids[model])])

        return newer

    @classmethod
    def _remove_test_data(cls, env):
        """What a test made: reminders, runs, invoices, customers, emails."""
        newer = cls._newer(env)
        newer("credit.dunning.communication").unlink()
        newer("credit.dunning.run").unlink()
        moves = newer("account.move")
        moves.filtered(lambda m: m.state == "posted").button_draft()
        moves.with_context(force_delete=True).unlink()
        env["ir.attachment"].search(
            [("id", ">", cls.max_ids["ir_attachment"])]
        ).unlink()
        for table in _SWEPT_TABLES:
            env.cr.execute(
                f"DELETE FROM {table} WHERE id > %s",  # noqa: S608
                [cls.max_ids[table]],
            )
        env.invalidate_all()

    def setUp(self):
        super().setUp()
        self.customer_ids = []
        self.addCleanup(self._cleanup_test)

    def _cleanup_test(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            self._remove_test_data(env)
            env["res.partner"].browse(self.customer_ids).unlink()

    def _setup_customers(self, per_company):
        """{company id: customers}, each with one invoice 6 days overdue on
        2026-03-15 (first reminder), committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for company_id, names in per_company.items():
                company = env["res.company"].browse(company_id)
                for name in names:
                    customer = env["res.partner"].create(
                        {
                            "name": name,
                            "is_company": True,
                            "email": f"{name.lower().replace(' ', '.')}@example.com",
                            "customer_rank": 1,
                        }
                    )
                    customer.with_company(
                        company
                    ).property_account_receivable_id = self.accounts[company_id]
                    invoice = (
                        env["account.move"]
                        .with_company(company)
                        .create(
                            {
                                "move_type": "out_invoice",
                                "partner_id": customer.id,
                                "invoice_date": "2026-01-01",
                                "invoice_date_due": "2026-03-09",
                                "invoice_payment_term_id": False,
                                "invoice_line_ids": [
                                    Command.create(
                                        {
                                            "name": "Goods",
                                            "quantity": 1,
                                            "price_unit": 100,
                                            "tax_ids": [],
                                        }
                                    )
                                ],
                            }
                        )
                    )
                    invoice.action_post()
                    self.customer_ids.append(customer.id)
        return self.customer_ids

    @contextmanager
    def _env(self, uid=SUPERUSER_ID, **context):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, uid, context)

    @contextmanager
    def _captured_logs(self, name):
        """The messages ``name`` logs (any thread), kept out of the log."""
        messages = []
        handler = logging.Handler(logging.DEBUG)
        handler.emit = lambda record: messages.append(record.getMessage())
        logger = logging.getLogger(name)
        level, propagate = logger.level, logger.propagate
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        try:
            yield messages
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate

    def _start(self, target, name):
        """``target`` in a thread of its own; its exception kept."""
        errors = []

        def run():
            try:
                target()
            except BaseException as error:  # noqa: BLE001
                errors.append(error)

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread, errors

    def _patched_batch(self, replacement):
        return patch.object(
            self.registry["credit.dunning.run"], "_execute_batch", replacement
        )

    def _check_reminded_once(self, env, customer_ids):
        Comm = env["credit.dunning.communication"]
        for customer in env["res.partner"].browse(customer_ids):
            self.assertEqual(
                Comm.search_count([("partner_id", "=", customer.id)]), 1, customer.name
            )
            self.assertEqual(
                env["mail.mail"].search_count([("recipient_ids", "in", customer.ids)]),
                1,
                customer.name,
            )
        duplicates = env["credit.dunning.communication.line"]._read_group(
            [("level_id", "!=", False)],
            ["move_id", "level_id"],
            having=[("__count", ">", 1)],
        )
        self.assertEqual(duplicates, [], "one reminder line per (invoice, level)")

    def test_cron_loses_the_race_to_run_now(self):
        """The cron has begun a batch of company A when a credit controller's
        "Run Dunning Now" reminds the same customers and commits: the cron's
        claim conflicts, its batch is retried, finds them done, and the cron
        goes on with company B. Both end; everyone is reminded once."""
        a1, a2, b1 = self._setup_customers(
            {self.company_a: ["Race A One", "Race A Two"], self.company_b: ["Race B"]}
        )
        execute_batch = self.registry["credit.dunning.run"]._execute_batch
        cron_in_batch, manual_done = threading.Event(), threading.Event()

        def cron_batch(run, plan, today):
            if (
                threading.current_thread().name == "cron"
                and run.company_id.id == self.company_a
                and not cron_in_batch.is_set()
            ):
                run.env.cr.execute("SELECT 1")  # this transaction's snapshot
                cron_in_batch.set()
                manual_done.wait(60)
            return execute_batch(run, plan, today)

        def cron():
            with self._env() as env:
                env["ir.cron"].browse(self.cron.id).method_direct_trigger()

        manual_action = {}

        def run_now():
            try:
                if cron_in_batch.wait(60):
                    with self._env(
                        self.collector_id, allowed_company_ids=[self.company_a]
                    ) as env:
                        manual_action.update(env["credit.dunning.run"].action_run_now())
            finally:
                manual_done.set()

        with (
            freeze_time("2026-03-15"),
            self._patched_batch(cron_batch),
            self._captured_logs(RUN_LOGGER) as logs,
            self.assertNoLogs("odoo.addons.base.models.ir_cron", logging.ERROR),
            self.assertNoLogs("odoo.sql_db", logging.ERROR),
        ):
            cron_thread, cron_errors = self._start(cron, "cron")
            manual_thread, manual_errors = self._start(run_now, "run_now")
            for thread in (manual_thread, cron_thread):
                thread.join(120)
                self.assertFalse(thread.is_alive(), f"{thread.name} is stuck")
        self.assertEqual(cron_errors + manual_errors, [])

        with self._env() as env:
            Run = env["credit.dunning.run"]
            manual = Run.browse(manual_action["res_id"])
            self.assertEqual(manual.user_id.id, self.collector_id)
            self.assertEqual(set(manual.communication_ids.partner_id.ids), {a1, a2})
            cron_runs = (
                Run.search([("id", ">", self.max_ids["credit.dunning.run"])]) - manual
            )
            cron_a = cron_runs.filtered(lambda r: r.company_id.id == self.company_a)
            cron_b = cron_runs.filtered(lambda r: r.company_id.id == self.company_b)
            self.assertEqual(cron_a.state, "done", "alive: the manual run left it")
            self.assertFalse(cron_a.communication_ids)
            self.assertIn("2 customer(s) already reminded by another run", cron_a.log)
            self.assertEqual(cron_b.state, "done")
            self.assertEqual(cron_b.communication_ids.partner_id.ids, [b1])
            self._check_reminded_once(env, [a1, a2, b1])
            cron = env["ir.cron"].browse(self.cron.id)
            self.assertEqual(cron.failure_count, 0)
            progress = env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            self.assertEqual(progress.remaining, 0, "the job ended done")
        self.assertTrue(
            any("conflict with another transaction (40001)" in line for line in logs),
            "the cron's claim really conflicted",
        )

    def test_killed_run_is_closed_and_taken_over(self):
        """A cron run whose server is killed after its first committed batch
        stays "running" with its lock gone; the next run closes it as failed,
        with what it had done, and reminds the rest once."""
        a1, a2 = self._setup_customers({self.company_a: ["Kill A One", "Kill A Two"]})
        execute_batch = self.registry["credit.dunning.run"]._execute_batch
        in_second_batch, killed = threading.Event(), threading.Event()
        backend = {}

        def dies_in_second_batch(run, plan, today):
            if threading.current_thread().name == "doomed" and run.communication_ids:
                backend["pid"] = run.env.cr._cnx.get_backend_pid()
                in_second_batch.set()
                killed.wait(60)
            return execute_batch(run, plan, today)

        def doomed():
            with self._env() as env:
                company = env["res.company"].browse(self.company_a)
                env["credit.dunning.run"].with_company(company)._run(
                    company, commit=True
                )

        with (
            freeze_time("2026-03-15"),
            patch.object(run_module, "BATCH_SIZE", 1),
            self._patched_batch(dies_in_second_batch),
            mute_logger("odoo.sql_db"),
        ):
            thread, errors = self._start(doomed, "doomed")
            self.assertTrue(in_second_batch.wait(60))
            with self._env() as env:
                env.cr.execute("SELECT pg_terminate_backend(%s)", [backend["pid"]])
                for _attempt in range(100):
                    # read once per transaction unless cleared
                    env.cr.execute("SELECT pg_stat_clear_snapshot()")
                    env.cr.execute(
                        "SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                        [backend["pid"]],
                    )
                    if not env.cr.fetchall():
                        break
                    time.sleep(0.05)
            killed.set()
            thread.join(60)
            self.assertFalse(thread.is_alive())
        self.assertTrue(errors and isinstance(errors[0], psycopg2.Error), errors)

        with self._env() as env:
            stale = env["credit.dunning.run"].search(
                [("company_id", "=", self.company_a)]
            )
            self.assertEqual(stale.state, "running")
            first = stale.communication_ids.partner_id
            self.assertEqual(len(first), 1, "its first batch was committed")

        with freeze_time("2026-03-15"), self._env() as env:
            env["credit.dunning.run"]._cron_run()

        with self._env() as env:
            stale = env["credit.dunning.run"].browse(stale.id)
            self.assertEqual(stale.state, "failed")
            self.assertIn("Interrupted before its end", stale.log)
            self.assertIn("1 customer(s) reminded, 1 invoice(s) moved up", stale.log)
            takeover = env["credit.dunning.run"].search(
                [("company_id", "=", self.company_a), ("id", ">", stale.id)]
            )
            self.assertEqual(takeover.state, "done")
            self.assertIn("Closed 1 interrupted run(s)", takeover.log)
            self.assertEqual(
                set(takeover.communication_ids.partner_id.ids),
                {a1, a2} - set(first.ids),
            )
            self._check_reminded_once(env, [a1, a2])

    def test_two_crons_at_once_log_no_error(self):
        """Two servers run the daily cron's method at once. The reminders
        stay exact, and the steps after the runs (payment behaviour, the
        receivables snapshot) no longer fail on each other: the second
        process waits for the first one's step, then does its own on what
        the first committed. Nothing is logged as an error."""
        a1, a2 = self._setup_customers({self.company_a: ["Twin A One", "Twin A Two"]})
        Behaviour = self.registry["credit.payment.behaviour"]
        compute = Behaviour._cron_compute
        Snapshot = self.registry["credit.dunning.snapshot"]
        take = Snapshot._take_snapshots
        calls = []

        def slow(step):
            def wrapper(model, *args, **kwargs):
                calls.append(step.__name__)
                # long enough for the other process to reach the same step
                time.sleep(1.0)
                return step(model, *args, **kwargs)

            return wrapper

        def cron():
            with self._env() as env:
                env["credit.dunning.run"]._cron_run()

        with (
            freeze_time("2026-03-15"),
            patch.object(Behaviour, "_cron_compute", slow(compute)),
            patch.object(Snapshot, "_take_snapshots", slow(take)),
            self.assertNoLogs(level=logging.ERROR),
        ):
            started = [self._start(cron, f"cron {n}") for n in (1, 2)]
            for thread, _errors in started:
                thread.join(120)
                self.assertFalse(thread.is_alive(), f"{thread.name} is stuck")
        self.assertEqual([e for _t, errors in started for e in errors], [])
        self.assertEqual(sorted(calls), ["_cron_compute"] * 2 + ["_take_snapshots"] * 2)
        with self._env() as env:
            self._check_reminded_once(env, [a1, a2])
            behaviour = env["credit.payment.behaviour"].search(
                [("partner_id", "in", [a1, a2])]
            )
            self.assertEqual(
                sorted(behaviour.partner_id.ids), [a1, a2], "one row per customer"
            )
            snapshots = env["credit.dunning.snapshot"].search(
                [("company_id", "=", self.company_a), ("date", "=", "2026-03-15")]
            )
            self.assertEqual(len(snapshots), 1)

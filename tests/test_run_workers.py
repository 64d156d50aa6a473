"""The dunning run spread over Odoo's cron workers: its batches queued, taken
by several processes at once, a worker killed mid-batch."""

import threading
import time
from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.credit_dunning.dunning_levels import credit_dunning_run as run_module

from . import test_credit_dunning_run_concurrency as concurrency

WORKER_CRONS = (
    "credit_dunning.ir_cron_dunning_run_worker_1",
    "credit_dunning.ir_cron_dunning_run_worker_2",
)


@tagged("post_install", "-at_install")
class TestRunBatches(concurrency.RunCommon):
    """The cron's run in the test's transaction (savepoints as commits)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_2 = cls._make_customer("Second Ltd", "second@example.com")
        cls.customer_3 = cls._make_customer("Third SARL", "third@example.com")
        for customer in (cls.customer, cls.customer_2, cls.customer_3):
            cls._invoice(customer, 100, "2026-01-01", due="2026-03-09")
        cls.workers = cls.env["ir.cron"]
        for xmlid in WORKER_CRONS:
            cls.workers |= cls.env.ref(xmlid)

    def _triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "in", self.workers.ids)])

    def test_cron_run_queues_its_batches_and_wakes_the_workers(self):
        with (
            patch.object(run_module, "BATCH_SIZE", 2),
            freeze_time("2026-03-15"),
            self._committing_env() as env,
        ):
            env["credit.dunning.run"]._run(self.company, commit=True)
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(run.state, "done")
        self.assertIn("3 customer(s) reminded, 3 invoice(s) moved up", run.log)
        self.assertEqual(run.invoice_count, 3)
        self.assertEqual(run.batch_ids.mapped("customer_count"), [2, 1])
        self.assertEqual(set(run.batch_ids.mapped("state")), {"done"})
        self.assertEqual(sum(run.batch_ids.mapped("invoice_count")), 3)
        self.assertEqual(self._triggers().cron_id, self.workers, "workers woken")
        self._assert_reminded_once(self.customer, self.customer_2, self.customer_3)

    def test_run_of_one_batch_wakes_no_worker(self):
        with freeze_time("2026-03-15"), self._committing_env() as env:
            env["credit.dunning.run"]._run(self.company, commit=True)
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.batch_ids), 1)
        self.assertFalse(self._triggers())

    def test_worker_cron_with_nothing_queued(self):
        with self._committing_env() as env:
            env.ref(WORKER_CRONS[0]).method_direct_trigger()
        self.assertFalse(self.Run.search([]))

    def test_single_process_run_queues_nothing(self):
        run = self._run("2026-03-15")
        self.assertEqual(run.state, "done")
        self.assertFalse(run.batch_ids, "Run Now works in its own transaction")
        self._assert_reminded_once(self.customer, self.customer_2, self.customer_3)

    def test_batches_are_for_credit_managers_only(self):
        with freeze_time("2026-03-15"), self._committing_env() as env:
            env["credit.dunning.run"]._run(self.company, commit=True)
        Batch = self.env["credit.dunning.run.batch"]
        self.assertTrue(Batch.with_user(self.credit_manager).search([]))
        for user in (self.salesman, self.collector):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Batch.with_user(user).search([])


@tagged("post_install", "-at_install")
class TestRunWorkers(concurrency.TestDunningRunConcurrency):
    """Two processes carry out the batches of one run at once, each in its
    own database connection; one of them is killed in the middle of a batch.
    (The tests of the parent class run in their own module.)"""

    test_cron_loses_the_race_to_run_now = None
    test_killed_run_is_closed_and_taken_over = None

    NAMES = [f"Worker {n}" for n in range(1, 7)]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # what the worker crons' runs change in them, put back at the end
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            crons = env["ir.cron"].browse([env.ref(x).id for x in WORKER_CRONS])
            states = crons.read(["nextcall", "lastcall", "failure_count"])
        cls.addClassCleanup(cls._restore_workers, states)

    @classmethod
    def _restore_workers(cls, states):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for state in states:
                env["ir.cron"].browse(state.pop("id")).write(state)

    def _kill(self, pid):
        with self._env() as env:
            env.cr.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _attempt in range(100):
                # pg_stat_activity is read once per transaction unless cleared
                env.cr.execute("SELECT pg_stat_clear_snapshot()")
                env.cr.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if not env.cr.fetchall():
                    return
                time.sleep(0.05)
        self.fail("the killed connection is still there")

    def _check_run_done(self, customer_ids):
        with self._env() as env:
            run = env["credit.dunning.run"].search(
                [("company_id", "=", self.company_a)]
            )
            self.assertEqual(len(run), 1, "no second run: the first one ended")
            self.assertEqual(run.state, "done")
            self.assertEqual(run.invoice_count, 6)
            self.assertEqual(
                run.log.splitlines()[0],
                "6 customer(s) reminded, 6 invoice(s) moved up a level.",
            )
            self.assertEqual(set(run.communication_ids.partner_id.ids), customer_ids)
            self.assertEqual(
                run.batch_ids.mapped("state"), ["done"] * 3, "every batch done once"
            )
            self.assertEqual(sum(run.batch_ids.mapped("invoice_count")), 6)
            self._check_reminded_once(env, customer_ids)
            self.assertEqual(
                env["mail.mail"].search_count(
                    [("recipient_ids", "in", list(customer_ids))]
                ),
                6,
                "one email per customer, none twice",
            )
            return run

    def test_worker_killed_mid_batch_the_other_completes_the_run(self):
        """The cron's process starts the run (3 batches of 2 customers) and
        dies in its first batch, its reminders made and its emails queued
        but not committed, while a worker cron is in the middle of the
        second batch. The worker goes on, takes the dead process's batch
        and the third one, and closes the run: every customer reminded
        once, the run done with the totals of all its batches."""
        customer_ids = set(self._setup_customers({self.company_a: self.NAMES}))
        execute_batch = self.registry["credit.dunning.run"]._execute_batch
        doomed_in_batch, worker_in_batch = threading.Event(), threading.Event()
        killed = threading.Event()
        doomed = {}
        worker_batches = []

        def batch_hook(run, plan, today):
            moved = execute_batch(run, plan, today)
            name = threading.current_thread().name
            if name == "cron" and not doomed_in_batch.is_set():
                doomed["pid"] = run.env.cr._cnx.get_backend_pid()
                doomed["partners"] = set(plan)
                doomed_in_batch.set()
                killed.wait(60)
            elif name == "worker":
                worker_batches.append(set(plan))
                if not worker_in_batch.is_set():
                    worker_in_batch.set()
                    killed.wait(60)
            return moved

        def cron():
            with self._env() as env:
                company = env["res.company"].browse(self.company_a)
                env["credit.dunning.run"].with_company(company)._run(
                    company, commit=True
                )

        def worker():
            with self._env() as env:
                env["credit.dunning.run.batch"]._cron_work()

        with (
            freeze_time("2026-03-15"),
            patch.object(run_module, "BATCH_SIZE", 2),
            self._patched_batch(batch_hook),
            mute_logger("odoo.sql_db"),
        ):
            cron_thread, cron_errors = self._start(cron, "cron")
            # a failure below leaves no thread behind
            self.addCleanup(cron_thread.join, 60)
            self.addCleanup(killed.set)
            self.assertTrue(doomed_in_batch.wait(60), "the cron took a batch")
            worker_thread, worker_errors = self._start(worker, "worker")
            self.assertTrue(worker_in_batch.wait(60), "both work at once")
            self._kill(doomed["pid"])
            killed.set()
            for thread in (cron_thread, worker_thread):
                thread.join(120)
                self.assertFalse(thread.is_alive(), f"{thread.name} is stuck")
        self.assertEqual(len(cron_errors), 1)
        self.assertIsInstance(cron_errors[0], psycopg2.Error, "killed")
        self.assertEqual(worker_errors, [])
        self.assertEqual(len(worker_batches), 3, "the worker did the other batches")
        self.assertIn(doomed["partners"], worker_batches, "incl. the dead one's")
        self._check_run_done(customer_ids)

    def test_killed_worker_batch_is_taken_by_the_next_trigger(self):
        """A worker dies in a batch after the other process has done all it
        could: that one wakes the workers a minute later; the next worker
        cron takes the dead worker's batch and closes the run."""
        customer_ids = set(self._setup_customers({self.company_a: self.NAMES}))
        execute_batch = self.registry["credit.dunning.run"]._execute_batch
        doomed_in_batch, killed = threading.Event(), threading.Event()
        doomed = {}

        def batch_hook(run, plan, today):
            moved = execute_batch(run, plan, today)
            if threading.current_thread().name == "doomed":
                doomed["pid"] = run.env.cr._cnx.get_backend_pid()
                doomed_in_batch.set()
                killed.wait(60)
            return moved

        def doomed_worker():
            with self._env() as env:
                env["credit.dunning.run.batch"]._cron_work()

        with (
            freeze_time("2026-03-15"),
            patch.object(run_module, "BATCH_SIZE", 2),
            self._patched_batch(batch_hook),
            mute_logger("odoo.sql_db"),
        ):
            with self._env() as env:
                company = env["res.company"].browse(self.company_a)
                Run = env["credit.dunning.run"].with_company(company)
                run, planned = Run._start_queued(company, date(2026, 3, 15))
                env["credit.dunning.run.batch"]._trigger_workers()
            self.assertEqual(planned, 6)
            thread, errors = self._start(doomed_worker, "doomed")
            self.addCleanup(thread.join, 60)
            self.addCleanup(killed.set)
            self.assertTrue(doomed_in_batch.wait(60))
            # the cron's process: the two other batches, then it leaves the
            # run to the batch still held and wakes the workers for later
            cron_thread, cron_errors = self._start(self._cron_side(run.id), "cron")
            cron_thread.join(60)
            self.assertEqual(cron_errors, [])
            with self._env() as env:
                run = env["credit.dunning.run"].browse(run.id)
                self.assertEqual(run.state, "running", "a batch is still held")
                self.assertEqual(run.batch_ids.mapped("state").count("done"), 2)
                later = env["ir.cron.trigger"].search(
                    [
                        ("cron_id.code", "=", "model._cron_work()"),
                        ("call_at", ">", "2026-03-15 00:00:00"),
                    ]
                )
                self.assertTrue(later, "the workers are woken again later")
            self._kill(doomed["pid"])
            killed.set()
            thread.join(60)
            self.assertFalse(thread.is_alive())
            self.assertTrue(errors and isinstance(errors[0], psycopg2.Error), errors)
            # the next trigger
            with self._env() as env:
                env.ref(WORKER_CRONS[1]).method_direct_trigger()
        self._check_run_done(customer_ids)

    def _cron_side(self, run_id):
        def work():
            with self._env() as env:
                run = env["credit.dunning.run"].browse(run_id)
                env["credit.dunning.run.batch"]._work(run, coordinator=True)

        return work

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from .chatter import staff_env

_logger = logging.getLogger(__name__)

# What the worker crons run: an administrator adds a worker by duplicating
# one of them (a cron runs in one thread at a time).
WORKER_CRON_CODE = "model._cron_work()"


class CreditDunningRunBatch(models.Model):
    """One batch of customers of a committed run, queued for Odoo's cron
    workers. A worker takes a pending batch with its row locked (FOR UPDATE
    SKIP LOCKED) and carries it out in the same transaction: a worker that
    dies rolls back, its batch is pending again and another worker takes it.
    Each (invoice, level) is claimed once whatever happens (the claim of
    ``_execute_batch``)."""

    _name = "credit.dunning.run.batch"
    _description = "Dunning Run Batch"
    _order = "id"

    run_id = fields.Many2one(
        "credit.dunning.run",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Done"),
            ("left", "Left to the Next Run"),
        ],
        default="pending",
        required=True,
        readonly=True,
    )
    # {partner id: {"level": level id, "moves": {move id: level id}}}
    plan = fields.Json(readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    invoice_count = fields.Integer(string="Invoices Moved Up", readonly=True)
    left_count = fields.Integer(string="Customers Left", readonly=True)
    attempts = fields.Integer(
        readonly=True, help="Transactions it took (conflicts with another run)."
    )

    _pending_idx = models.Index("(id) WHERE state = 'pending'")

    @api.model
    def _dump_plan(self, plan):
        return {
            str(partner_id): {
                "level": data["level"].id,
                "moves": {
                    str(move_id): lvl.id for move_id, lvl in data["moves"].items()
                },
            }
            for partner_id, data in plan.items()
        }

    def _load_plan(self):
        """The batch's plan in the form ``_execute_batch`` takes."""
        self.ensure_one()
        Level = self.env["credit.dunning.level"].sudo()
        return {
            int(partner_id): {
                "level": Level.browse(data["level"]),
                "moves": {
                    int(move_id): Level.browse(level_id)
                    for move_id, level_id in data["moves"].items()
                },
            }
            for partner_id, data in (self.plan or {}).items()
        }

    # ------------------------------------------------------------------
    # Workers
    # ------------------------------------------------------------------
    @api.model
    def _trigger_workers(self, at=None):
        """Wake the worker crons (each runs in a cron thread of its own, on
        any server sharing the database)."""
        crons = (
            self.env["ir.cron"]
            .sudo()
            .search(
                [
                    ("model_id.model", "=", self._name),
                    ("code", "=", WORKER_CRON_CODE),
                    ("active", "=", True),
                ]
            )
        )
        for cron in crons:
            cron._trigger(at)
        return crons

    @api.model
    def _cron_work(self):
        """Worker cron: carry out the pending batches of every run."""
        self.sudo()._work()

    @api.model
    def _work(self, runs=None, coordinator=False):
        """Take pending batches, one transaction each, until none is left
        (of ``runs`` if given), then finish the runs whose last batch is
        done. A worker holds a shared lock on each run it works for: the
        run is alive while someone works on it. The coordinator (the run's
        own cron) raises a batch's error; a worker closes that run as failed
        and goes on with the others."""
        Run = self.env["credit.dunning.run"]
        Cron = self.env["ir.cron"]
        cr = self.env.cr
        held = Run
        refused = set()
        touched = runs or Run
        try:
            while batch := self._take(runs, refused):
                run = batch.run_id
                touched |= run
                if run not in held:
                    joined = run._try_lock_shared()
                    # a new transaction: one that sees the run as it is now
                    # that nobody can close it any more
                    cr.rollback()
                    if not joined:
                        # another run is closing it as interrupted
                        refused.add(run.id)
                        continue
                    held |= run
                try:
                    result = run._execute_batch_retrying(
                        batch._load_plan(), run.date, queued=batch
                    )
                except Exception as error:
                    if coordinator:
                        raise
                    cr.rollback()
                    _logger.exception(
                        "Dunning run %s: batch %s failed; the run is closed as "
                        "failed, the next run takes over.",
                        run.id,
                        batch.id,
                    )
                    run._close_as_failed(
                        staff_env(self.env, run.company_id)._(
                            "Stopped by an error (details in the server log): "
                            "%(error)s",
                            error=(str(error).strip().splitlines() or [repr(error)])[0],
                        )
                    )
                    Cron._commit_progress()
                    continue
                Cron._commit_progress(batch.customer_count if result else 0)
            unfinished = Run
            for run in touched:
                if not run._finish_if_complete() and run.state == "running":
                    unfinished |= run
            if unfinished:
                # batches still held by other workers: they finish the run;
                # should one of them die, a worker woken later does
                self._trigger_workers(fields.Datetime.now() + timedelta(minutes=1))
                Cron._commit_progress()
        finally:
            for run in held:
                run._release_lock()

    @api.model
    def _take(self, runs=None, refused=()):
        """A pending batch of a running run that no other worker holds,
        locked until the end of this transaction; or an empty recordset."""
        self.flush_model()
        for _attempt in range(10):
            try:
                rows = self.env.execute_query(
                    SQL(
                        """
                        SELECT b.id
                          FROM credit_dunning_run_batch b
                          JOIN credit_dunning_run r ON r.id = b.run_id
                         WHERE b.state = 'pending' AND r.state = 'running'
                           AND %(runs)s
                           AND b.run_id != ALL(%(refused)s)
                         ORDER BY b.id
                         LIMIT 1
                           FOR UPDATE OF b SKIP LOCKED
                        """,
                        runs=SQL("b.run_id = ANY(%s)", runs.ids)
                        if runs
                        else SQL("TRUE"),
                        refused=list(refused),
                    )
                )
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # a batch done by another worker since this snapshot
                self.env.cr.rollback()
                continue
            return self.browse(rows[0][0]) if rows else self.browse()
        return self.browse()

    def _lock(self):
        """Lock this batch for one attempt: False when it is no longer
        pending, another worker holds it, or its run stopped."""
        self.ensure_one()
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT b.id
                  FROM credit_dunning_run_batch b
                 WHERE b.id = %s AND b.state = 'pending'
                   FOR UPDATE SKIP LOCKED
                """,
                self.id,
            )
        )
        if not rows:
            return False
        # the run's lock is held by this worker: its state can only be
        # changed by an error of its own cron
        rows = self.env.execute_query(
            SQL("SELECT state FROM credit_dunning_run WHERE id = %s", self.run_id.id)
        )
        return bool(rows) and rows[0][0] == "running"

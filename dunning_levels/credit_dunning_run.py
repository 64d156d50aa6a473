import logging
from collections import defaultdict

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
)
from odoo.tools import SQL, format_date, split_every

from ..credit_control.rights import check_credit_rights
from .chatter import insert_notes, staff_env

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # customers per batch; the cron commits after each batch
# A committed run is alive while a process works for it: its cron and each
# worker carrying out one of its batches hold a shared session advisory lock
# keyed by the run's id (one lock per run, never one for the whole
# database). A run whose lock is free while it says "running" was killed
# (the connections went with their locks) or stopped: the next run of its
# company closes it.
RUN_LOCK_NAMESPACE = 0x43444E52  # "CDNR"
# conflicts with another transaction, tried again after planning anew: those
# Odoo retries for a request, and a row another batch inserted meanwhile (two
# workers following the same manager to the same policy's to-do)
RUN_CONFLICTS = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, psycopg2.errors.UniqueViolation)

# What a level says to the customer, read from its actions (nothing to keep
# in sync by hand). An *opening* level sends a message (email, letter, SMS)
# and takes no measure: its text presumes no earlier reminder, it may be the
# first contact (the default ladder's courtesy and first reminder). An
# *internal* level sends nothing and takes no measure (call, escalation).
# Any other level (hold, formal notice, penalties, cash-only, hand-off)
# presumes that the customer was reminded before.
MESSAGE_ACTIONS = ("send_email", "send_letter", "send_sms")
MEASURE_ACTIONS = (
    "set_credit_hold",
    "set_cash_only",
    "formal_notice",
    "charge_penalties",
    "create_legal_activity",
)


def sends_message(level):
    return any(level[fname] for fname in MESSAGE_ACTIONS)


def may_open(level):
    """The level may be the first message a customer receives."""
    return sends_message(level) and not any(level[f] for f in MEASURE_ACTIONS)


def is_internal(level):
    return not sends_message(level) and not any(level[f] for f in MEASURE_ACTIONS)


def level_kinds(levels):
    """{level id: (whether it may open, whether it is internal)}"""
    return {level.id: (may_open(level), is_internal(level)) for level in levels}


def next_level(
    levels, days, current=None, days_since=None, claimed=(), contacted=True, kinds=None
):
    """(the level an invoice moves up to today or None, the level the
    ladder's days alone would give it today or None).

    ``levels`` are the levels of its policy by days, ``days`` the days past
    its due date (negative before), ``current`` its level reached
    ``days_since`` days ago, ``claimed`` the ids of the levels it already
    had and ``contacted`` whether one of them sent it a message.

    - First contact (no message received yet): the last opening level
      reached, never a level whose text presumes an earlier reminder; the
      levels before it are past and skipped. Without an opening level
      reached, only internal levels.
    - Then one level at a time at the policy's pace: the next level once its
      days are reached, and no earlier than the days the policy puts
      between the two levels after the previous one was reached.

    ``kinds`` ({level id: (may open, is internal)}, see ``level_kinds``)
    spares a plan of thousands of invoices reading each level's actions
    again for every invoice.
    """
    free = [lvl for lvl in levels if lvl.id not in claimed]
    # never backwards: only the levels above the one it holds
    above = [
        lvl for lvl in free if current is None or lvl.offset_days > current.offset_days
    ]
    ladder = [lvl for lvl in above if lvl.offset_days <= days]
    reached = ladder[-1] if ladder else None
    if not contacted:
        if kinds is None:
            kinds = level_kinds(above)
        openers = [lvl for lvl in ladder if kinds[lvl.id][0]]
        if openers:
            return openers[-1], reached
        above = [lvl for lvl in above if kinds[lvl.id][1]]
        ladder = [lvl for lvl in ladder if kinds[lvl.id][1]]
    if current is None:
        return (ladder[-1] if ladder else None), reached
    step = above[0] if above else None
    if (
        step is None
        or step.offset_days > days
        or (
            days_since is not None
            and days_since < step.offset_days - current.offset_days
        )
    ):
        return None, reached
    return step, reached


class CreditDunningRun(models.Model):
    _name = "credit.dunning.run"
    _description = "Dunning Run"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Started By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        required=True,
        readonly=True,
    )
    communication_ids = fields.One2many(
        "credit.dunning.communication", "run_id", readonly=True
    )
    communication_count = fields.Integer(string="Reminders", compute="_compute_counts")
    email_count = fields.Integer(
        string="Emails",
        compute="_compute_counts",
        help="Reminders that went to the customer by email (to the mail queue).",
    )
    letter_count = fields.Integer(
        string="Letters",
        compute="_compute_counts",
        help="Reminders that are or were letters to print.",
    )
    task_count = fields.Integer(
        string="Tasks",
        compute="_compute_counts",
        help="Open activities on the run's reminders: calls, escalations, "
        "hand-offs, reminders that could not go out.",
    )
    invoice_count = fields.Integer(string="Invoices Moved Up", readonly=True)
    log = fields.Text(readonly=True)
    # the committed run's batches, queued for the cron workers
    batch_ids = fields.One2many("credit.dunning.run.batch", "run_id", readonly=True)
    closed_by_id = fields.Many2one(
        "credit.dunning.run",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The run that closed this interrupted run and took over.",
    )

    @api.depends("date", "company_id")
    def _compute_name(self):
        # in the company's language, whoever (the cron) started it
        for run in self:
            staff = staff_env(self.env, run.company_id)
            run.name = staff._(
                "Dunning run %(date)s (%(company)s)",
                date=format_date(staff, run.date),
                company=run.company_id.name,
            )

    def _compute_counts(self):
        figures = self._channel_figures()
        for run in self:
            (
                run.communication_count,
                run.email_count,
                run.letter_count,
                run.task_count,
            ) = figures.get(run.id, (0, 0, 0, 0))

    def _channel_figures(self):
        """{run id: (reminders, emails, letters, open tasks)} in one query."""
        if not self.ids:
            return {}
        for model in ("credit.dunning.communication", "mail.activity"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.run_id, COUNT(DISTINCT c.id),
                       COUNT(DISTINCT c.id) FILTER (WHERE 'email' = ANY(
                           string_to_array(replace(c.channels, ' ', ''), ','))),
                       COUNT(DISTINCT c.id) FILTER (WHERE 'letter' = ANY(
                           string_to_array(replace(c.channels, ' ', ''), ','))
                           OR c.state IN ('to_print', 'printed')),
                       COUNT(a.id)
                  FROM credit_dunning_communication c
                  LEFT JOIN mail_activity a
                         ON a.res_model = 'credit.dunning.communication'
                        AND a.res_id = c.id
                 WHERE c.run_id = ANY(%s)
                 GROUP BY c.run_id
                """,
                self.ids,
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _check_run_rights(self):
        """Rights before superuser: only credit control starts or previews a
        run, which then works as superuser."""
        check_credit_rights(
            self.env,
            self.env._(
                "Only credit control users may run or preview the dunning: "
                "ask a credit controller."
            ),
        )

    @api.model
    def _cron_run(self):
        """Daily cron: every company, committed batch by batch. A company whose
        run fails has its run closed as failed and the next company still
        runs: one company's trouble never costs another its reminders."""
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            try:
                self.sudo().with_company(company)._run(company, commit=True)
            except Exception:
                _logger.exception(
                    "Dunning run of %s (id %s) failed; the other companies go on.",
                    company.name,
                    company.id,
                )

    def action_run_now(self):
        # a button of the runs list's header: the web client passes the
        # selected runs (none), which the run does not use
        self._check_run_rights()
        return self._run_now(self.env.companies)

    @api.model
    def _run_now(self, companies):
        """A run started by hand, in the caller's transaction (a conflict with
        the cron rolls it back whole and Odoo retries the request)."""
        runs = self.sudo().browse()
        for company in companies:
            runs |= self.sudo().with_company(company)._run(company)
        # A run started by hand that found nothing leaves no empty record
        # behind; the cron's daily runs stay, empty or not, as its trace.
        empty = runs.filtered(lambda run: not run.communication_ids)
        runs -= empty
        empty.unlink()
        if not runs:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": self.env._("Nothing to send"),
                    "message": self.env._(
                        "No customer reaches a new dunning level today."
                    ),
                    "sticky": False,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_dunning.credit_dunning_run_action"
        )
        if len(runs) == 1:
            action.update(
                {"res_id": runs.id, "view_mode": "form", "views": [(False, "form")]}
            )
        else:
            action["domain"] = [("id", "in", runs.ids)]
        return action

    @api.model
    def _run(self, company, today=None, commit=False):
        """The run of one company. With ``commit``, each batch is committed
        on its own (the cron): a batch that conflicts with another run is
        rolled back and tried again in a new transaction, and a run stopped
        by an error is closed as failed."""
        today = today or fields.Date.context_today(self)
        if commit:
            return self._run_committed(company, today)
        run, plan, closed = self._start(company, today)
        moved = 0
        for batch in split_every(BATCH_SIZE, list(plan.items())):
            moved += run._execute_batch(dict(batch), today)
        run._finish(len(plan), moved, 0, closed)
        return run

    @api.model
    def _run_committed(self, company, today):
        """The run as the cron does it: planned, its batches queued and
        committed, the worker crons woken; this process then works on its
        batches like any worker. Whoever completes the last batch finishes
        the run (the run returned may still be running, then)."""
        cr = self.env.cr
        Cron = self.env["ir.cron"]
        Batch = self.env["credit.dunning.run.batch"].sudo()
        run = None
        locked = False
        try:
            run, planned = self._retry_on_conflict(
                lambda: self._start_queued(company, today)
            )
            # taken before the run is committed: nobody sees it unlocked.
            # Shared: the workers hold it too while they work for the run.
            cr.execute(
                SQL(
                    "SELECT pg_advisory_lock_shared(%s, %s)",
                    RUN_LOCK_NAMESPACE,
                    run.id,
                )
            )
            locked = True
            if len(run.batch_ids) > 1:
                Batch._trigger_workers()
            Cron._commit_progress(remaining=planned)
            Batch._work(run, coordinator=True)
            Cron._commit_progress(remaining=0)
        except Exception as error:
            cr.rollback()
            if run and run.exists():
                run._close_as_failed(
                    staff_env(self.env, company)._(
                        "Stopped by an error (details in the server log): %(error)s",
                        error=(str(error).strip().splitlines() or [repr(error)])[0],
                    )
                )
                Cron._commit_progress()
            raise
        finally:
            if locked:
                run._release_lock()
        return run

    @api.model
    def _start_queued(self, company, today):
        """``_start``, then the plan stored as batches for the workers.
        (the run, the number of customers planned)"""
        run, plan, closed = self._start(company, today)
        closed.write({"closed_by_id": run.id})
        Batch = self.env["credit.dunning.run.batch"].sudo()
        Batch.create(
            [
                {
                    "run_id": run.id,
                    "plan": Batch._dump_plan(dict(batch)),
                    "customer_count": len(batch),
                }
                for batch in split_every(BATCH_SIZE, list(plan.items()))
            ]
        )
        return run, len(plan)

    def _finish_if_complete(self):
        """Finish the run once none of its batches is pending, with the
        totals of its batches: done by whoever completes the last one. True
        when this call finished it."""
        self.ensure_one()
        self.env["credit.dunning.run.batch"].flush_model()

        def finish():
            # one finisher: the others wait here, then see it done (or fail
            # to serialize and try again, and see it done). NO KEY: the
            # reminders being made for the run (their foreign key) do not
            # hold it up.
            if not self.env.execute_query(
                SQL(
                    "SELECT id FROM credit_dunning_run "
                    "WHERE id = %s AND state = 'running' FOR NO KEY UPDATE",
                    self.id,
                )
            ):
                return False
            [(pending, planned, moved, left)] = self.env.execute_query(
                SQL(
                    """
                    SELECT COUNT(*) FILTER (WHERE state = 'pending'),
                           COALESCE(SUM(customer_count), 0),
                           COALESCE(SUM(invoice_count), 0),
                           COALESCE(SUM(left_count), 0)
                      FROM credit_dunning_run_batch
                     WHERE run_id = %s
                    """,
                    self.id,
                )
            )
            if pending:
                return False
            closed = self.search([("closed_by_id", "=", self.id)])
            self._finish(planned, moved, left, closed)
            return True

        finished = self._retry_on_conflict(finish)
        self.env["ir.cron"]._commit_progress()
        return finished

    def _try_lock_shared(self):
        """Join the processes working for this run (a session lock, kept
        across commits, gone with the connection); False while another run
        is closing it as interrupted."""
        self.ensure_one()
        return self.env.execute_query(
            SQL(
                "SELECT pg_try_advisory_lock_shared(%s, %s)",
                RUN_LOCK_NAMESPACE,
                self.id,
            )
        )[0][0]

    @api.model
    def _retry_on_conflict(self, func, on_conflict=None):
        """``func()`` flushed, in a new transaction after each conflict with
        another transaction (serialization failure, deadlock, lock not
        available), like Odoo's RPC layer does for a request. Only in the
        committed mode: the transaction rolled back is this step's alone."""
        for attempt in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
            try:
                result = func()
                self.env.flush_all()
                return result
            except RUN_CONFLICTS as error:
                self.env.cr.rollback()
                _logger.info(
                    "Dunning: conflict with another transaction (%s), try %s of %s.",
                    error.pgcode,
                    attempt,
                    MAX_TRIES_ON_CONCURRENCY_FAILURE,
                )
                if attempt == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                    raise
                if on_conflict:
                    on_conflict()
        raise AssertionError("unreachable")

    @api.model
    def _cron_step(self, key, step, failure):
        """One of the daily cron's steps after the runs (``step()``), in
        transactions of its own, one process at a time: a second process (a
        second server, or a manual trigger of the cron) waits for the first
        one's step, then does its own on what the first one committed; a
        conflict with another transaction is tried again. Only an error of
        the step itself is logged as ``failure``: the runs are committed by
        then, a failure here never costs a reminder."""
        cr = self.env.cr
        # the cron's way to commit (its progress is kept as it was)
        commit = self.env["ir.cron"]._commit_progress
        commit()
        locked = False
        try:
            # a session lock, kept across the commits; its own namespace
            cr.execute(
                SQL("SELECT pg_advisory_lock(%s, %s)", RUN_LOCK_NAMESPACE + 1, key)
            )
            locked = True
            # the step's snapshot is taken after the lock: it sees the work
            # of the process that held it
            commit()
            self._retry_on_conflict(step)
            commit()
        except Exception:
            cr.rollback()
            _logger.exception(failure)
        finally:
            if locked:
                cr.execute(
                    SQL(
                        "SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK_NAMESPACE + 1, key
                    )
                )
                commit()

    def _execute_batch_retrying(self, batch, today, queued=None):
        """(invoices moved up, customers left to the next run) of a batch run
        in its own transaction. After a conflict, the batch is planned again:
        what the other run committed meanwhile is then seen and skipped. A
        batch still conflicting after the last try is left to the next run.

        ``queued``, the batch's record, is locked at each try and marked
        done (or left) in the same transaction; None when another worker
        has it or its run stopped."""
        self.ensure_one()
        state = {"batch": batch}

        def replan():
            fresh = self._plan(self.company_id, today)
            state["batch"] = {
                partner_id: fresh[partner_id]
                for partner_id in state["batch"]
                if partner_id in fresh
            }

        tries = []

        def attempt():
            tries.append(1)
            if queued and not queued._lock():
                return None
            moved = self._execute_batch(state["batch"], today) if state["batch"] else 0
            if queued:
                queued.write(
                    {"state": "done", "invoice_count": moved, "attempts": len(tries)}
                )
            return moved

        try:
            moved = self._retry_on_conflict(attempt, on_conflict=replan)
        except RUN_CONFLICTS:
            _logger.info(
                "Dunning run %s: %s customer(s) left to the next run after "
                "repeated conflicts.",
                self.id,
                len(state["batch"]),
            )
            if queued:
                if not queued._lock():
                    return None
                queued.write(
                    {
                        "state": "left",
                        "left_count": len(state["batch"]),
                        "attempts": len(tries),
                    }
                )
                self.env.flush_all()
            return 0, len(state["batch"])
        if moved is None:
            return None
        return moved, 0

    def _release_lock(self):
        cr = self.env.cr
        try:
            cr.execute(
                SQL(
                    "SELECT pg_advisory_unlock_shared(%s, %s)",
                    RUN_LOCK_NAMESPACE,
                    self.id,
                )
            )
        except psycopg2.errors.InFailedSqlTransaction:
            cr.rollback()
            cr.execute(
                SQL(
                    "SELECT pg_advisory_unlock_shared(%s, %s)",
                    RUN_LOCK_NAMESPACE,
                    self.id,
                )
            )
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            # the connection is gone, and its session's locks with it
            _logger.info("Dunning run %s: connection closed (%s)", self.id, error)

    @api.model
    def _start(self, company, today):
        """Close the company's interrupted runs, settle the due promises and
        the late escalations, plan, and create the run record."""
        closed = self._close_interrupted(company, today)
        self.env["credit.dunning.promise"]._check_due_promises(company, today)
        self.env["mail.activity"]._credit_dunning_reescalate(company, today)
        # reminders held for a missing setting go out once it is filled in
        self.env["credit.dunning.communication"]._credit_send_held(company)
        plan = self._plan(company, today)
        run = self.create({"company_id": company.id, "date": today})
        return run, plan, closed

    def _finish(self, planned, moved, left, closed):
        self.ensure_one()
        staff = staff_env(self.env, self.company_id)
        reminded = len(self.communication_ids)
        lines = [
            staff._(
                "%(customers)s customer(s) reminded, %(invoices)s invoice(s) moved up a level.",
                customers=reminded,
                invoices=moved,
            )
        ]
        if reminded:
            _count, emails, letters, tasks = self._channel_figures()[self.id]
            lines.append(
                staff._(
                    "Emails: %(emails)s, letters to print: %(letters)s, tasks: "
                    "%(tasks)s.",
                    emails=emails,
                    letters=letters,
                    tasks=tasks,
                )
            )
        if skipped := planned - reminded - left:
            lines.append(
                staff._(
                    "%(count)s customer(s) already reminded by another run at "
                    "the same time.",
                    count=skipped,
                )
            )
        if left:
            lines.append(
                staff._(
                    "%(count)s customer(s) left to the next run: their invoices "
                    "kept conflicting with another run.",
                    count=left,
                )
            )
        if closed:
            lines.append(
                staff._(
                    "Closed %(count)s interrupted run(s) of this company, started "
                    "on %(dates)s, and took over what they had left to do.",
                    count=len(closed),
                    dates=", ".join(
                        format_date(staff, date) for date in closed.mapped("date")
                    ),
                )
            )
        self.write({"state": "done", "invoice_count": moved, "log": "\n".join(lines)})

    @api.model
    def _close_interrupted(self, company, today):
        """The company's runs left "running" by a process that died or a run
        that stopped: closed as failed, with what they had recorded. A run
        still alive holds its lock and is left alone."""
        running = self.search(
            [("company_id", "=", company.id), ("state", "=", "running")]
        )
        if not running:
            return running
        # the transaction lock also keeps two runs from closing the same one
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM unnest(%s::int[]) AS run(id) "
                "WHERE pg_try_advisory_xact_lock(%s, id)",
                running.ids,
                RUN_LOCK_NAMESPACE,
            )
        )
        if rows:
            # A run that ended (committed "done") after this transaction
            # began looks running here, and its lock is free: its row says
            # otherwise. The lock of the rows raises a serialization failure
            # then, tried again in a new transaction (not an error to log).
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM credit_dunning_run WHERE id = ANY(%s) "
                    "FOR NO KEY UPDATE",
                    [row[0] for row in rows],
                ),
                log_exceptions=False,
            )
        interrupted = self.browse([row[0] for row in rows])
        staff = staff_env(self.env, company)
        interrupted._close_as_failed(
            staff._(
                "Interrupted before its end (its server process stopped); "
                "closed by the next run, on %(date)s, which took over what was "
                "left to do.",
                date=format_date(staff, today),
            )
        )
        return interrupted

    def _close_as_failed(self, reason):
        """State "failed" with what each run had recorded before it stopped:
        its reminders and the invoices they moved up stand."""
        if not self:
            return
        self.env["credit.dunning.communication.line"].flush_model()
        self.env["credit.dunning.communication"].flush_model(["run_id"])
        counts = {
            run_id: (customers, invoices)
            for run_id, customers, invoices in self.env.execute_query(
                SQL(
                    """
                    SELECT c.run_id, COUNT(DISTINCT c.id),
                           COUNT(l.id) FILTER (WHERE l.level_id IS NOT NULL)
                      FROM credit_dunning_communication c
                      LEFT JOIN credit_dunning_communication_line l
                             ON l.communication_id = c.id
                     WHERE c.run_id = ANY(%s)
                     GROUP BY c.run_id
                    """,
                    self.ids,
                )
            )
        }
        for run in self:
            customers, invoices = counts.get(run.id, (0, 0))
            run.write(
                {
                    "state": "failed",
                    "invoice_count": invoices,
                    "log": "\n".join(
                        [
                            reason,
                            staff_env(self.env, run.company_id)._(
                                "Before it stopped: %(customers)s customer(s) "
                                "reminded, %(invoices)s invoice(s) moved up a level.",
                                customers=customers,
                                invoices=invoices,
                            ),
                        ]
                    ),
                }
            )

    # ------------------------------------------------------------------
    # Planning: one query for the whole company
    # ------------------------------------------------------------------
    @api.model
    def _plan(self, company, today):
        """{partner id: {"level": level, "moves": {move id: level},
        "deferred": {move id: (level, date, first contact)}}} for the
        customers that reach a new level today, one level at a time per
        invoice (see ``next_level``). "deferred" lists the invoices given a
        lower level than their days alone reach, with that level and the
        earliest day it may come. Read-only."""
        Level = self.env["credit.dunning.level"].sudo()
        policies = (
            self.env["credit.dunning.policy"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )
        default_policy = (
            self.env["credit.dunning.policy"].sudo()._get_default_policy(company)
        )
        levels_by_policy = {
            policy.id: policy.level_ids.sorted("offset_days") for policy in policies
        }
        all_levels = Level.browse(
            [lvl.id for lvls in levels_by_policy.values() for lvl in lvls]
        )
        if not all_levels:
            return {}
        offset_of = {level.id: level.offset_days for level in all_levels}
        min_offset = min(offset_of.values())
        for model, fnames in (
            (
                "account.move",
                [
                    "commercial_partner_id",
                    "invoice_date_due",
                    "amount_residual_signed",
                    "dunning_level_id",
                    "dunning_last_date",
                    "state",
                    "move_type",
                    "payment_state",
                    "dunning_dispute",
                    "credit_is_penalty_invoice",
                    "company_id",
                ],
            ),
            ("res.partner", ["dunning_excluded", "credit_dunning_policy_id"]),
            ("credit.dunning.promise", ["state", "date", "grace_days", "move_ids"]),
            ("credit.dunning.communication.line", ["move_id", "level_id"]),
        ):
            self.env[model].flush_model(fnames)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.invoice_date_due,
                       m.amount_residual_signed, m.dunning_level_id,
                       m.dunning_last_date,
                       (p.credit_dunning_policy_id->>%(company_key)s)::int,
                       -- the levels it already had (none without a level)
                       CASE WHEN m.dunning_level_id IS NOT NULL THEN ARRAY(
                           SELECT l.level_id
                             FROM credit_dunning_communication_line l
                            WHERE l.move_id = m.id AND l.level_id IS NOT NULL
                       ) END
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type = 'out_invoice'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.dunning_dispute IS NOT TRUE
                   AND m.credit_is_penalty_invoice IS NOT TRUE
                   AND p.dunning_excluded IS NOT TRUE
                   AND m.invoice_date_due <= %(horizon)s
                   AND NOT EXISTS (
                       SELECT 1
                         FROM credit_dunning_promise_account_move_rel rel
                         JOIN credit_dunning_promise pr ON pr.id = rel.promise_id
                        WHERE rel.move_id = m.id
                          AND pr.state = 'open'
                          AND pr.date + pr.grace_days >= %(today)s
                   )
                   AND %(extra)s
                """,
                extra=self._plan_extra_condition(company),
                company_key=str(company.id),
                company=company.id,
                horizon=fields.Date.subtract(today, days=min_offset),
                today=today,
            )
        )
        by_partner = defaultdict(dict)
        deferred = defaultdict(dict)
        amounts = defaultdict(float)  # not yet due, moving up (courtesy)
        # a message received: a level already had that sends one
        had = Level.browse({lid for row in rows for lid in row[7] or ()})
        messaged = set(had.filtered(sends_message).ids)
        kinds = level_kinds(all_levels)
        can_open = {
            policy_id: any(kinds[lvl.id][0] for lvl in lvls)
            for policy_id, lvls in levels_by_policy.items()
        }
        first_opener = {
            policy_id: min(lvl.offset_days for lvl in lvls if kinds[lvl.id][0])
            for policy_id, lvls in levels_by_policy.items()
            if can_open[policy_id]
        }
        level_of = {level.id: level for level in all_levels | had}
        fallback = self._plan_fallback_policies(
            company, list({row[1] for row in rows if not row[6]})
        )
        for (
            move_id,
            partner_id,
            due,
            residual,
            level_id,
            since,
            policy_id,
            claimed,
        ) in rows:
            policy_id = policy_id or fallback.get(partner_id)
            if not levels_by_policy.get(policy_id):
                policy_id = default_policy.id
            policy_levels = levels_by_policy.get(policy_id)
            if not policy_levels:
                continue
            current = level_of.get(level_id)
            claimed = set(claimed or ())
            # a level held with no reminder line of its own was set outside
            # the ladder (the history imported from the previous tool at
            # go-live): the customer was reminded
            imported = current is not None and current.id not in claimed
            # never backwards: the invoice stands at the highest of the level
            # it holds and the levels it had
            for lid in claimed:
                if current is None or level_of[lid].offset_days > current.offset_days:
                    current = level_of[lid]
            contacted = (
                bool(claimed & messaged)
                or imported
                # past an opening level of its policy (an imported level the
                # ladder has since moved up from, on every later run): it
                # could only get there reminded
                or (
                    current is not None
                    and current.offset_days
                    > first_opener.get(policy_id, current.offset_days)
                )
                # a policy without an opening level sends what it says
                or not can_open.get(policy_id, True)
            )
            target, reached = next_level(
                policy_levels,
                (today - due).days,
                current=current,
                days_since=(today - since).days if since and current else None,
                claimed=claimed,
                contacted=contacted,
                kinds=kinds,
            )
            if target:
                by_partner[partner_id][move_id] = target
                if due >= today:
                    amounts[partner_id] += residual
                if reached and reached.offset_days > target.offset_days:
                    # what the ladder's days alone would have sent, and the
                    # earliest day it may come now, one level at a time
                    base = max(
                        target.offset_days,
                        current.offset_days if current else target.offset_days,
                    )
                    deferred[partner_id][move_id] = (
                        reached,
                        fields.Date.add(today, days=reached.offset_days - base),
                        not contacted,
                    )
        # decided on the net position: open credit notes and unallocated
        # payments are deducted from what is overdue (or about to fall due)
        positions = self._net_positions(company, list(by_partner), today)
        plan = {}
        for partner_id, moves in by_partner.items():
            overdue, credits = positions.get(partner_id, (0.0, 0.0))
            net = overdue + amounts[partner_id] + credits
            if company.currency_id.compare_amounts(net, 0.0) <= 0:
                continue
            reached = sorted(
                set(moves.values()), key=lambda lvl: lvl.offset_days, reverse=True
            )
            level = next(
                (lvl for lvl in reached if net >= lvl.min_overdue_amount),
                None,
            )
            if level:
                plan[partner_id] = {
                    "level": level,
                    "moves": moves,
                    "deferred": deferred.get(partner_id, {}),
                }
        return plan

    @api.model
    def _plan_extra_condition(self, company):
        """An SQL condition on the open invoices the run considers (aliases:
        ``m`` the invoice, ``p`` its commercial entity). Extended by the
        features that take invoices out of the ladder."""
        return SQL("TRUE")

    @api.model
    def _listed_items_condition(self):
        """An SQL condition on the other open items a reminder lists (alias
        ``m``, the invoice or credit note). Extended by the features that
        take invoices out of the customer's reminders."""
        return SQL("TRUE")

    @api.model
    def _net_position_extra_condition(self):
        """An SQL condition on the open receivable lines of a customer's net
        position (aliases: ``l`` the line, ``p`` its partner). Extended by
        the features that take debts out of the customer's position."""
        return SQL("TRUE")

    @api.model
    def _plan_fallback_policies(self, company, partner_ids):
        """{commercial entity id: policy id} for customers without a policy
        of their own, before the company's default policy. Extended by the
        features that pick a policy for a customer."""
        return {}

    @api.model
    def _net_positions(self, company, partner_ids, today):
        """{commercial entity id: (overdue, credits)} in company currency:
        what its open invoices past due owe, and its open credits (credit
        notes, payments not yet matched, as a negative amount). One grouped
        query through the open-items index."""
        if not partner_ids:
            return {}
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "account_id",
                "reconciled",
                "parent_state",
                "amount_residual",
                "date_maturity",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       COALESCE(SUM(l.amount_residual) FILTER (
                           WHERE l.amount_residual > 0 AND l.date_maturity < %(today)s
                       ), 0),
                       COALESCE(SUM(l.amount_residual) FILTER (
                           WHERE l.amount_residual < 0
                       ), 0)
                  FROM account_move_line l
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE %(open_receivable)s
                   AND l.company_id = %(company)s
                   AND l.partner_id = ANY(ARRAY(
                       SELECT id FROM res_partner
                        WHERE commercial_partner_id = ANY(%(partners)s)))
                   AND %(extra)s
                 GROUP BY p.commercial_partner_id
                """,
                extra=self._net_position_extra_condition(),
                today=today,
                company=company.id,
                partners=partner_ids,
                open_receivable=self.env[
                    "account.move.line"
                ]._credit_open_receivable_sql("l"),
            )
        )
        return {
            partner_id: (float(overdue), float(credits))
            for partner_id, overdue, credits in rows
        }

    # ------------------------------------------------------------------
    # Execution of one batch of customers
    # ------------------------------------------------------------------
    def _execute_batch(self, plan, today):
        """Carry out the plan of a batch of customers: claim each (invoice,
        level) once, list the customers' open items, move the invoices up,
        sum the reminders and act. The number of invoices moved up."""
        self.ensure_one()
        # PostgreSQL plans the foreign-key check of each reminder line once
        # per connection. Planned while the reminders table was small (the
        # first run on a large database, or a run in one transaction), it
        # scans that whole table for every line: at 100,000 invoices the run
        # spent 32 of its 86 s there. Re-plan at each batch (microseconds).
        self.env.cr.execute("DISCARD PLANS")
        communications, claimed = self._claim(plan, today)
        if not communications:
            return 0
        self._list_open_items(communications, claimed, today)
        moved = self._move_up(claimed, today)
        self._sum_amounts(communications)
        self._act(communications, moved)
        return len(moved)

    def _claim(self, plan, today):
        """Create one reminder per customer of the plan and claim each of its
        (invoice, level) pairs, once ever: a pair another run claimed first
        is skipped, and a reminder left with nothing claimed is deleted.
        (reminders kept, [(reminder id, invoice id, level id) claimed])."""
        Partner = self.env["res.partner"].sudo()
        partners = Partner.browse(list(plan))
        recipients = partners._credit_dunning_recipients()
        # no "created" note on each reminder: the email sent is its trace
        communications = (
            self.env["credit.dunning.communication"]
            .sudo()
            .with_context(mail_create_nolog=True)
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "recipient_id": recipients[partner.id].id,
                        "company_id": self.company_id.id,
                        "level_id": plan[partner.id]["level"].id,
                        "run_id": self.id,
                        "date": today,
                    }
                    for partner in partners
                ]
            )
        )
        comm_of = {comm.partner_id.id: comm.id for comm in communications}
        claims = [
            (comm_of[partner_id], move_id, level.id)
            for partner_id, data in plan.items()
            for move_id, level in data["moves"].items()
        ]
        self.env["credit.dunning.communication.line"].flush_model()
        # Under REPEATABLE READ, a claim another run committed after this
        # transaction began is a serialization failure, not a silent skip:
        # expected when two runs race, handled by the caller (a retry in a
        # new transaction), so not logged as an error here.
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO credit_dunning_communication_line
                       (communication_id, move_id, level_id, date_maturity,
                        days_overdue, amount_residual, amount_residual_currency)
                SELECT c.comm_id, m.id, c.level_id, m.invoice_date_due,
                       %(today)s - m.invoice_date_due,
                       m.amount_residual_signed, m.amount_residual
                  FROM unnest(%(comm_ids)s::int[], %(move_ids)s::int[], %(level_ids)s::int[])
                       AS c(comm_id, move_id, level_id)
                  -- one primary-key lookup per invoice claimed (OFFSET 0 keeps
                  -- PostgreSQL from hashing all the invoices of the company)
                  CROSS JOIN LATERAL (
                      SELECT * FROM account_move WHERE id = c.move_id OFFSET 0
                  ) m
                ON CONFLICT (move_id, level_id) WHERE level_id IS NOT NULL DO NOTHING
                RETURNING communication_id, move_id, level_id
                """,
                today=today,
                comm_ids=[c[0] for c in claims],
                move_ids=[c[1] for c in claims],
                level_ids=[c[2] for c in claims],
            ),
            log_exceptions=False,
        )
        claimed = cr.fetchall()
        claimed_comm_ids = {row[0] for row in claimed}
        # Another run claimed these customers' invoices first: nothing to do.
        unclaimed = communications.filtered(lambda c: c.id not in claimed_comm_ids)
        communications -= unclaimed
        unclaimed.unlink()
        return communications, claimed

    def _list_open_items(self, communications, claimed, today):
        """Add to each reminder the customer's other open items: its overdue
        invoices and open credit notes, listed without a level."""
        # found per customer through the open-items index of the receivable
        # lines (a scan of all invoices per batch took 60 ms at 100,000).
        self.env["account.move.line"].flush_model(
            ["partner_id", "account_id", "reconciled", "parent_state", "move_id"]
        )
        self.env.execute_query(
            SQL(
                """
                INSERT INTO credit_dunning_communication_line
                       (communication_id, move_id, date_maturity, days_overdue,
                        amount_residual, amount_residual_currency)
                SELECT c.id, m.id, m.invoice_date_due,
                       GREATEST(%(today)s - m.invoice_date_due, 0),
                       m.amount_residual_signed,
                       CASE WHEN m.move_type = 'out_refund'
                            THEN -m.amount_residual ELSE m.amount_residual END
                  FROM credit_dunning_communication c
                  CROSS JOIN LATERAL (
                      SELECT DISTINCT l.move_id
                        FROM account_move_line l
                       WHERE l.partner_id = c.partner_id AND %(open_receivable)s
                  ) open_item
                  CROSS JOIN LATERAL (
                      SELECT * FROM account_move WHERE id = open_item.move_id OFFSET 0
                  ) m
                 WHERE c.id = ANY(%(comm_ids)s)
                   AND m.company_id = c.company_id
                   AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND (
                        (m.move_type = 'out_invoice' AND m.invoice_date_due < %(today)s)
                        OR m.move_type = 'out_refund'
                   )
                   AND m.id NOT IN (SELECT unnest(%(claimed)s::int[]))
                   AND %(extra)s
                """,
                extra=self._listed_items_condition(),
                today=today,
                comm_ids=communications.ids,
                claimed=[row[1] for row in claimed],
                open_receivable=self.env[
                    "account.move.line"
                ]._credit_open_receivable_sql("l"),
            )
        )

    def _move_up(self, claimed, today):
        """Set the level and the date of the last reminder of the invoices
        claimed: one UPDATE per level. A level never goes down: an invoice
        that already holds a higher one keeps it. The claims that moved an
        invoice up (those the run and the chatter report)."""
        claimed_by_level = defaultdict(list)
        for _comm_id, move_id, level_id in claimed:
            claimed_by_level[level_id].append(move_id)
        raised = set()
        for level_id, move_ids in claimed_by_level.items():
            rows = self.env.execute_query(
                SQL(
                    """
                    UPDATE account_move m
                       SET dunning_level_id = CASE
                               WHEN old.offset_days >= new.offset_days
                               THEN m.dunning_level_id ELSE new.id END,
                           dunning_last_date = %s
                      FROM credit_dunning_level new,
                           account_move prev
                      LEFT JOIN credit_dunning_level old
                             ON old.id = prev.dunning_level_id
                     WHERE new.id = %s AND m.id = ANY(%s) AND prev.id = m.id
                 RETURNING m.id,
                           old.id IS NULL OR old.offset_days < new.offset_days
                    """,
                    today,
                    level_id,
                    move_ids,
                )
            )
            raised.update((move_id, level_id) for move_id, up in rows if up)
        self.env["account.move"].invalidate_model(
            ["dunning_level_id", "dunning_last_date"]
        )
        self.env["credit.dunning.communication.line"].invalidate_model()
        return [claim for claim in claimed if (claim[1], claim[2]) in raised]

    def _sum_amounts(self, communications):
        """The amounts due and overdue of the reminders, from the lines just
        written (one UPDATE for the batch)."""
        self.env.execute_query(
            SQL(
                """
                UPDATE credit_dunning_communication c
                   SET amount_due = t.due, amount_overdue = t.overdue
                  FROM (SELECT communication_id,
                               SUM(amount_residual) AS due,
                               COALESCE(SUM(amount_residual) FILTER (
                                   WHERE days_overdue > 0 AND amount_residual > 0
                               ), 0) AS overdue
                          FROM credit_dunning_communication_line
                         WHERE communication_id = ANY(%(comm_ids)s)
                         GROUP BY communication_id) t
                 WHERE c.id = t.communication_id
                """,
                comm_ids=communications.ids,
            )
        )
        communications.invalidate_recordset()

    def _act(self, communications, moved):
        """The actions of the reminders' levels (documents, tasks, hold),
        then a note on every invoice that moved up."""
        communications._execute_actions()
        self._log_on_invoices(moved)

    def _log_on_invoices(self, claimed):
        """A note in the chatter of every invoice that moved up a level, in
        the company's language."""
        staff = staff_env(self.env, self.company_id)
        Level = staff["credit.dunning.level"].sudo()
        Comm = self.env["credit.dunning.communication"].sudo()
        # one text per reminder (its invoices share it), not per invoice
        notes = {}
        for comm_id, _move_id, level_id in claimed:
            if (comm_id, level_id) not in notes:
                notes[comm_id, level_id] = Markup("<p>%s</p>") % staff._(
                    "Dunning level “%(level)s” reached (%(reminder)s).",
                    level=Level.browse(level_id).name,
                    reminder=Comm.browse(comm_id).name,
                )
        insert_notes(
            self.env,
            "account.move",
            {
                move_id: notes[comm_id, level_id]
                for comm_id, move_id, level_id in claimed
            },
        )

    @api.model
    def action_preview(self):
        self._check_run_rights()
        preview = self.env["credit.dunning.preview"].create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview of the Next Run"),
            "res_model": "credit.dunning.preview",
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

"""One measurement in a fresh process, printed as one JSON line.

    python3 benchmarks/measure.py DB ADDONS LOGFILE WHAT [ARG]

WHAT: ours_run, oca_run, ours_run_docs, letters, ours_preview, ours_check,
oca_check, ours_filter, oca_filter, ours_cockpit, ours_worklist. Time is
wall-clock, queries are those of the measured call, memory is the growth of
the peak resident set size during the call. What a measurement needs set up
first (PREPARE) is done before the clock starts. With
CREDIT_DUNNING_BENCH_PROFILE=FILE, the measured call is profiled with cProfile
into FILE (its time is then longer than without).
"""

import contextlib
import cProfile
import json
import os
import resource
import sys
import time
from datetime import date
from unittest.mock import patch

from odoo_env import odoo_env

# customers without an email address in the runs with documents (one in 20):
# they get a letter instead of the email
NO_EMAIL_MODULO = 20
OCA_PDF_SAMPLE = 100
# a file name there: the measured call is profiled (cProfile) into it
PROFILE = "CREDIT_DUNNING_BENCH_PROFILE"
# set by run.py for the repetitions of OCA's run: no PDF sample after it
NO_PDF_SAMPLE = "CREDIT_DUNNING_BENCH_NO_PDF_SAMPLE"


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours_run(env):
    run = env["credit.dunning.run"]._run(env.company)
    env.flush_all()
    return {
        "communications": len(run.communication_ids),
        "invoices": run.invoice_count,
        "emails": env["mail.mail"].search_count([("state", "=", "outgoing")]),
    }


def oca_run(env):
    run = env["credit.control.run"].create(
        {"date": date.today(), "policy_ids": [(6, 0, env.company.credit_policy_id.ids)]}
    )
    run.generate_credit_lines()
    run.set_to_ready_lines()
    run.run_channel_action()
    env.flush_all()
    return {
        "communications": len(run.line_ids.communication_id),
        "invoices": len(run.line_ids),
        "emails": env["mail.mail"].search_count([("state", "=", "outgoing")]),
        "_run": run,
    }


@contextlib.contextmanager
def count_wkhtmltopdf():
    """Counts the wkhtmltopdf processes started (Odoo's one entry point)."""
    from odoo.addons.base.models import ir_actions_report  # noqa: PLC0415

    calls = {"count": 0, "seconds": 0.0}
    original = ir_actions_report._run_wkhtmltopdf

    def run(args):
        start = time.perf_counter()
        try:
            return original(args)
        finally:
            calls["count"] += 1
            calls["seconds"] += time.perf_counter() - start

    with patch.object(ir_actions_report, "_run_wkhtmltopdf", run):
        yield calls


def _without_email(env):
    """One customer in 20 (and its contacts) without an email address."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner SET email = NULL
         WHERE commercial_partner_id IN (
               SELECT id FROM res_partner
                WHERE is_company AND customer_rank > 0 AND id %% %s = 0)
        """,
        [NO_EMAIL_MODULO],
    )
    env.invalidate_all()


def prepare_ours_run_docs(env):
    """The ladder as shipped (the default policy: courtesy, first reminder,
    call, escalation, hold, formal notice with its letter, cash-only), the
    reminders sent before go-live imported on the invoices (each overdue
    invoice at the rung below the one its delay reaches, as the demo data:
    without it the first-contact rule sends everyone the first reminder), one
    customer in 20 without an email address (a letter instead)."""
    company = env.company
    policy = env.ref("credit_dunning.credit_dunning_policy_default")
    company.credit_dunning_policy_id = policy
    _without_email(env)
    levels = policy.level_ids.sorted("offset_days")
    env.flush_all()
    # the rung below the highest one reached by the delay (days after the
    # due date), if any
    for below, level in zip(levels, levels[1:], strict=False):
        upper = levels.filtered(
            lambda lv, level=level: lv.offset_days > level.offset_days
        )[:1]
        env.cr.execute(
            """
            UPDATE account_move
               SET dunning_level_id = %s
             WHERE move_type = 'out_invoice' AND state = 'posted'
               AND payment_state IN ('not_paid', 'partial')
               AND company_id = %s
               AND CURRENT_DATE - invoice_date_due >= %s
               AND (%s IS NULL OR CURRENT_DATE - invoice_date_due < %s)
            """,
            [
                below.id,
                company.id,
                level.offset_days,
                upper.offset_days or None,
                upper.offset_days or None,
            ],
        )
    env.invalidate_all()


def ours_run_docs(env):
    with count_wkhtmltopdf() as calls:
        result = ours_run(env)
    Comm = env["credit.dunning.communication"]
    result.update(
        {
            "letters": Comm.search_count([("channels", "ilike", "letter")]),
            "statements": Comm.search_count([("attachment_id", "!=", False)]),
            "held": Comm.search_count([("state", "=", "attention")]),
            "wkhtmltopdf_calls": calls["count"],
            "wkhtmltopdf_seconds": calls["seconds"],
        }
    )
    return result


def prepare_letters(env):
    prepare_ours_run_docs(env)
    env["credit.dunning.run"]._run(env.company)
    env.flush_all()


def letters(env):
    """Printing 10 and 100 letters: all in one wkhtmltopdf call (Letters to
    Print) against one call per letter (Odoo with Debian's wkhtmltopdf)."""
    report = env.ref("credit_dunning.action_report_dunning_letter")
    Report = env["ir.actions.report"]
    comms = env["credit.dunning.communication"].search([], order="id", limit=100)
    result = {}
    for count in (10, 100):
        ids = comms[:count].ids
        env.invalidate_all()
        with count_wkhtmltopdf() as calls:
            start = time.perf_counter()
            pdf = Report.with_context(credit_dunning_one_pdf=True)._render_qweb_pdf(
                report, ids
            )[0]
            seconds = time.perf_counter() - start
        result[f"one_call_{count}"] = {
            "letters": len(ids),
            "seconds": seconds,
            "calls": calls["count"],
            "bytes": len(pdf),
        }
        env.invalidate_all()
        with count_wkhtmltopdf() as calls:
            start = time.perf_counter()
            for res_id in ids:
                Report._render_qweb_pdf(report, [res_id])
            seconds = time.perf_counter() - start
        result[f"per_letter_{count}"] = {
            "letters": len(ids),
            "seconds": seconds,
            "calls": calls["count"],
        }
    return result


def oca_pdf_sample(env, run):
    """What the PDF attachment adds to OCA's emails, measured on a sample:
    its mail template renders the report once per communication (one
    wkhtmltopdf call each)."""
    report = env.ref("account_credit_control.credit_control_summary")
    comms = run.line_ids.communication_id.sorted("id")[:OCA_PDF_SAMPLE]
    env.invalidate_all()
    with count_wkhtmltopdf() as calls:
        start = time.perf_counter()
        for comm in comms:
            env["ir.actions.report"]._render_qweb_pdf(report, comm.ids)
        seconds = time.perf_counter() - start
    return {"count": len(comms), "seconds": seconds, "calls": calls["count"]}


def ours_preview(env):
    plan = env["credit.dunning.run"]._plan(env.company, date.today())
    return {
        "communications": len(plan),
        "invoices": sum(len(p["moves"]) for p in plan.values()),
    }


def _check_order(env, count):
    return env["sale.order"].search(
        [("client_order_ref", "=", f"check-{count}")], limit=1
    )


def ours_check(env, count):
    problems = _check_order(env, count)._credit_check_problems()
    return {"blocked": bool(problems)}


def oca_check(env, count):
    order = _check_order(env, count)
    message = order.evaluate_risk_message(
        order.partner_invoice_id.commercial_partner_id
    )
    return {"blocked": bool(message)}


# the customers themselves (account_financial_risk searches those only)
CUSTOMERS = [
    ("customer_rank", ">", 0),
    "|",
    ("is_company", "=", True),
    ("parent_id", "=", False),
]


def ours_filter(env):
    return {
        "partners": env["res.partner"].search_count(
            [("credit_over_limit", "=", True), *CUSTOMERS]
        )
    }


def oca_filter(env):
    return {
        "partners": env["res.partner"].search_count(
            [("risk_exception", "=", True), *CUSTOMERS]
        )
    }


def oca_lines_net(env, run):
    """OCA's credit lines of the customers whose open credits (credit notes,
    payments not matched) do not cover what they owe past due. credit_dunning
    decides on the customer's net position and reminds a customer whose
    credits cover its overdue of nothing (README, "decides on the net
    position"); account_credit_control makes a line per overdue invoice
    whatever the customer's credits, and has no setting to net them."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT p.commercial_partner_id
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          JOIN res_partner p ON p.id = l.partner_id
         WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
           AND l.parent_state = 'posted' AND l.company_id = %s
         GROUP BY p.commercial_partner_id
        HAVING ROUND(
                   COALESCE(SUM(l.amount_residual) FILTER (
                       WHERE l.amount_residual > 0 AND l.date_maturity < %s), 0)
                   + COALESCE(SUM(l.amount_residual) FILTER (
                       WHERE l.amount_residual < 0), 0),
                   2) <= 0
        """,
        [run.company_id.id, run.date],
    )
    covered = {row[0] for row in env.cr.fetchall()}
    lines = run.line_ids.filtered(
        lambda line: line.partner_id.commercial_partner_id.id not in covered
    )
    return len(lines), len(
        run.line_ids.partner_id.commercial_partner_id.filtered(
            lambda partner: partner.id in covered
        )
    )


def home_count(env, what):
    field = "credit_over_limit" if what == "ours_filter" else "risk_exception"
    found = env["res.partner"].search([(field, "=", True), *CUSTOMERS])
    env.cr.execute(
        """
        SELECT DISTINCT p.commercial_partner_id
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          JOIN res_partner p ON p.id = l.partner_id
         WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
           AND l.parent_state = 'posted' AND l.currency_id != l.company_currency_id
        """
    )
    foreign = {row[0] for row in env.cr.fetchall()}
    return len([p for p in found.ids if p not in foreign])


def _credit_manager(env):
    """The cockpit is read by a credit manager, not the superuser: the
    record rules and rights checks are part of the cost."""
    return env.ref("base.user_admin")


def ours_cockpit(env):
    data = env["credit.cockpit"].with_user(_credit_manager(env)).get_cockpit_data()
    return {
        "receivable": next(
            f["value"] for f in data["figures"] if f["key"] == "receivable"
        ),
        "dso": next(f["value"] for f in data["figures"] if f["key"] == "dso"),
    }


def ours_worklist(env):
    data = env["credit.cockpit"].with_user(_credit_manager(env)).get_worklist("all")
    return {"lines": sum(section["count"] for section in data["sections"])}


def main():
    db, addons, logfile, what, *args = sys.argv[1:]
    function = globals()[what]
    with odoo_env(db, addons, logfile) as env:
        # warm the registry caches outside the measurement
        env["res.partner"].search([], limit=1)
        env.invalidate_all()
        args = [int(a) for a in args]
        prepare = globals().get(f"prepare_{what}")
        if prepare:
            prepare(env)
            env.invalidate_all()
        if what.endswith(("_check", "_cockpit", "_worklist")):
            # an order confirmation or a cockpit load happens in a warm
            # worker: caches filled by an earlier request, records read anew
            function(env, *args)
            env.invalidate_all()
        rss_before = peak_rss_mb()
        queries_before = env.cr.sql_log_count
        profiler = cProfile.Profile() if os.environ.get(PROFILE) else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        result = function(env, *args)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        if profiler:
            profiler.dump_stats(os.environ[PROFILE])
        run = result.pop("_run", None)
        result.update(
            {
                "seconds": seconds,
                "queries": env.cr.sql_log_count - queries_before,
                "memory_mb": peak_rss_mb() - rss_before,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
        if what in ("ours_filter", "oca_filter"):
            # after the clock: the same count without the customers who owe
            # in a foreign currency (account_financial_risk converts their
            # company-currency residual a second time)
            result["partners_home"] = home_count(env, what)
        if what == "oca_run" and run:
            # after the clock: the credit lines of the customers our net
            # position would remind (see oca_lines_net)
            result["invoices_net"], result["customers_covered"] = oca_lines_net(
                env, run
            )
            # after the clock: what its PDF attachment would add (once, not
            # at each repetition of the run)
            if not os.environ.get(NO_PDF_SAMPLE):
                result["pdf_sample"] = oca_pdf_sample(env, run)
        env.cr.rollback()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

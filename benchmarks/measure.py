"""One measurement in a fresh process, printed as one JSON line.

    python3 benchmarks/measure.py DB ADDONS LOGFILE WHAT [ARG]

WHAT: ours_run, oca_run, ours_preview, ours_check, oca_check, ours_filter,
oca_filter, ours_cockpit, ours_worklist. Time is wall-clock, queries are those of the measured call,
memory is the growth of the peak resident set size during the call.
"""

import json
import resource
import sys
import time
from datetime import date

from odoo_env import odoo_env


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
    }


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


def ours_filter(env):
    return {
        "partners": env["res.partner"].search_count([("credit_over_limit", "=", True)])
    }


def oca_filter(env):
    return {
        "partners": env["res.partner"].search_count([("risk_exception", "=", True)])
    }


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
        if what.endswith(("_check", "_cockpit", "_worklist")):
            # an order confirmation or a cockpit load happens in a warm
            # worker: caches filled by an earlier request, records read anew
            function(env, *args)
            env.invalidate_all()
        rss_before = peak_rss_mb()
        queries_before = env.cr.sql_log_count
        start = time.perf_counter()
        result = function(env, *args)
        seconds = time.perf_counter() - start
        result.update(
            {
                "seconds": seconds,
                "queries": env.cr.sql_log_count - queries_before,
                "memory_mb": peak_rss_mb() - rss_before,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
        env.cr.rollback()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

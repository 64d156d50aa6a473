"""The dunning run spread over several worker processes.

    python3 benchmarks/workers.py --size 10000 [--workers 1 2] [--docs] [--rebuild]

On a copy of the template of the cockpit benchmark (credit_dunning alone with
the data of generate.py, built by run.py --cockpit or here), upgraded to this
checkout: the run is planned and its batches queued (what the cron does
before it wakes the workers), then N processes, started together, each loop
on the worker method (``credit.dunning.run.batch._work``, what a worker cron
runs) until the run is done. Each N on a fresh copy. Prints the table and
checks that every (invoice, level) was claimed once and one email was queued
per reminder; writes results/workers_<size>.json. With --docs, the ladder as
shipped with its documents, set up as measure.py's ours_run_docs does (the
default policy, the reminders sent before go-live imported, one customer in 20
without an email address): results/workers_<size>_docs.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from odoo_env import addons_path, check_odoo, odoo_env, shell_lib  # noqa: E402

RESULTS = HERE / "results"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-d", db, "-Atqc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


# ----------------------------------------------------------------------
# In the child processes
# ----------------------------------------------------------------------
def child_queue(env):
    """Plan the run and queue its batches, committed."""
    start = time.time()
    Run = env["credit.dunning.run"]
    run, planned = Run._start_queued(env.company, date.today())
    env.cr.commit()
    return {
        "run": run.id,
        "planned": planned,
        "batches": len(run.batch_ids),
        "start": start,
        "end": time.time(),
    }


def child_prepare(env):
    """The ladder as shipped with its documents (see measure.py)."""
    from measure import prepare_ours_run_docs  # noqa: PLC0415

    prepare_ours_run_docs(env)
    env.cr.commit()
    return {}


def child_work(env):
    """One worker: batches until none is left. Also the time it waited on
    PostgreSQL (its queries, from sending to the last row fetched): what N
    workers on N machines would ask of the one database they share."""
    from odoo import sql_db  # noqa: PLC0415

    waited = {"seconds": 0.0}
    execute = sql_db.Cursor.execute

    def timed_execute(self, *args, **kwargs):
        begin = time.perf_counter()
        try:
            return execute(self, *args, **kwargs)
        finally:
            waited["seconds"] += time.perf_counter() - begin

    start = time.time()
    queries = env.cr.sql_log_count
    sql_db.Cursor.execute = timed_execute
    try:
        env["credit.dunning.run.batch"]._work()
    finally:
        sql_db.Cursor.execute = execute
    return {
        "start": start,
        "end": time.time(),
        "queries": env.cr.sql_log_count - queries,
        "sql_s": waited["seconds"],
    }


def child_check(env):
    """What the run did, and that it did it once."""
    from odoo.tools import SQL  # noqa: PLC0415

    run = env["credit.dunning.run"].search([], order="id desc", limit=1)
    [(duplicates,)] = env.execute_query(
        SQL(
            """
            SELECT COUNT(*) FROM (
                SELECT move_id, level_id FROM credit_dunning_communication_line
                 WHERE level_id IS NOT NULL
                 GROUP BY move_id, level_id HAVING COUNT(*) > 1) d
            """
        )
    )
    by_worker = env.execute_query(
        SQL(
            "SELECT COUNT(*) FILTER (WHERE state = 'done'), COUNT(*) "
            "FROM credit_dunning_run_batch WHERE run_id = %s",
            run.id,
        )
    )[0]
    # a reminder is emailed at most once (the ladder of the cockpit's data
    # may hold its emails: their count can be below the reminders')
    [(emailed_twice,)] = env.execute_query(
        SQL(
            """
            SELECT COUNT(*) FROM (
                SELECT msg.res_id FROM mail_mail mm
                  JOIN mail_message msg ON msg.id = mm.mail_message_id
                 WHERE msg.model = 'credit.dunning.communication'
                 GROUP BY msg.res_id HAVING COUNT(*) > 1) d
            """
        )
    )
    return {
        "emailed_twice": emailed_twice,
        "state": run.state,
        "reminders": len(run.communication_ids),
        "invoices": run.invoice_count,
        "emails": env["mail.mail"].search_count([("state", "=", "outgoing")]),
        "duplicates": duplicates,
        "batches_done": by_worker[0],
        "batches": by_worker[1],
        "log": run.log,
    }


def child(args):
    function = {
        "prepare": child_prepare,
        "queue": child_queue,
        "work": child_work,
        "check": child_check,
    }[args.child]
    with odoo_env(args.db, args.addons, args.logfile) as env:
        env["res.partner"].search([], limit=1)  # registry warm
        result = function(env)
        env.cr.commit()
    print(json.dumps(result))


# ----------------------------------------------------------------------
# The driver
# ----------------------------------------------------------------------
def run_child(what, db, addons, logfile):
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            what,
            "--db",
            db,
            "--addons",
            addons,
            "--logfile",
            logfile,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def result_of(process):
    out, _err = process.communicate()
    if process.returncode:
        sys.exit(f"error: a benchmark process failed (exit {process.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def upgraded_base(template, addons, logfile, docs=False):
    """A copy of the template with this checkout's module upgraded (its
    batch model and worker crons), made once per invocation; with ``docs``,
    set up for the ladder as shipped with its documents."""
    base = f"{template}_workers"
    subprocess.run(["dropdb", "--if-exists", base], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", template, base], check=True)
    print(f"Upgrading credit_dunning on a copy of {template}...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            base,
            "-u",
            "credit_dunning",
            f"--addons-path={addons}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            f"--logfile={logfile}",
        ],
        check=True,
    )
    if docs:
        result_of(run_child("prepare", base, addons, logfile))
    subprocess.run(["vacuumdb", "--analyze", "--quiet", base], check=True)
    return base


def measure(base, workers, addons, logfile):
    work = f"{base}_{workers}"
    subprocess.run(["dropdb", "--if-exists", work], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", base, work], check=True)
    try:
        queued = result_of(run_child("queue", work, addons, logfile))
        processes = [run_child("work", work, addons, logfile) for _n in range(workers)]
        done = [result_of(p) for p in processes]
        check = result_of(run_child("check", work, addons, logfile))
    finally:
        subprocess.run(["dropdb", "--if-exists", work], check=True, capture_output=True)
    # the workers' time: from the first one starting its loop (its registry
    # loaded) to the last one ending
    work_s = max(d["end"] for d in done) - min(d["start"] for d in done)
    result = {
        "workers": workers,
        "queue_s": queued["end"] - queued["start"],
        "work_s": work_s,
        "per_worker_s": [d["end"] - d["start"] for d in done],
        "queries": sum(d["queries"] for d in done),
        "sql_s": sum(d["sql_s"] for d in done),
        **{k: queued[k] for k in ("planned", "batches")},
        **check,
    }
    result["total_s"] = result["queue_s"] + work_s
    print(
        f"  {workers} worker(s): plan+queue {result['queue_s']:.1f}s, "
        f"batches {work_s:.1f}s, {check['reminders']} reminders, "
        f"{check['invoices']} invoices, {check['emails']} emails, "
        f"{check['duplicates']} duplicates, run {check['state']}",
        flush=True,
    )
    if (
        check["state"] != "done"
        or check["duplicates"]
        or check["emailed_twice"]
        or check["emails"] > check["reminders"]
        or check["batches_done"] != check["batches"]
    ):
        sys.exit(f"error: the run with {workers} worker(s) broke a guarantee")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--docs",
        action="store_true",
        help="the ladder as shipped with its documents (letters, tasks, holds)",
    )
    parser.add_argument("--child", choices=["prepare", "queue", "work", "check"])
    parser.add_argument("--db")
    parser.add_argument("--addons")
    parser.add_argument("--logfile")
    args = parser.parse_args()
    if args.child:
        return child(args)

    check_odoo()
    shell_lib("ensure_postgres")
    work_dir = tempfile.mkdtemp(prefix="credit_dunning_workers_")
    addons = addons_path(work_dir)
    logfile = os.path.join(work_dir, "odoo.log")
    template = f"credit_dunning_bench_cockpit_{args.size}"
    if args.rebuild or not db_exists(template):
        from run import build_template  # noqa: PLC0415

        build_template(
            template,
            addons,
            logfile,
            ["--size", str(args.size), "--seed", str(args.seed)],
            modules="credit_dunning",
        )
    base = upgraded_base(template, addons, logfile, docs=args.docs)
    try:
        what = "the ladder as shipped with its documents" if args.docs else "the run"
        print(f"{what} at {args.size} invoices:", flush=True)
        results = [measure(base, n, addons, logfile) for n in args.workers]
    finally:
        subprocess.run(["dropdb", "--if-exists", base], check=True, capture_output=True)
    first = results[0]
    print(
        "\n| workers | plan + queue s | batches s | total s | speed-up "
        "| reminders | invoices moved up | emails | duplicates |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['workers']} | {r['queue_s']:.1f} | {r['work_s']:.1f} "
            f"| {r['total_s']:.1f} | {first['work_s'] / r['work_s']:.2f}x "
            f"| {r['reminders']:,} | {r['invoices']:,} | {r['emails']:,} "
            f"| {r['duplicates']} |"
        )
    RESULTS.mkdir(exist_ok=True)
    name = f"workers_{args.size}{'_docs' if args.docs else ''}"
    path = RESULTS / f"{name}.json"
    path.write_text(
        json.dumps({"size": args.size, "docs": args.docs, "runs": results}, indent=2)
    )
    print(f"\nwritten: {path.relative_to(HERE.parent)}")
    plot(args.size, results, RESULTS / f"{name}.png", args.docs)


def plot(size, results, path, docs=False):
    """The run's time by number of workers: planning and queueing, the
    batches, in total."""
    try:
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:
        print("matplotlib missing: no plot")
        return
    fig, axis = plt.subplots(figsize=(6, 4))
    labels = [str(r["workers"]) for r in results]
    axis.bar(labels, [r["queue_s"] for r in results], label="plan + queue")
    axis.bar(
        labels,
        [r["work_s"] for r in results],
        bottom=[r["queue_s"] for r in results],
        label="batches (workers in parallel)",
    )
    for i, r in enumerate(results):
        axis.text(i, r["total_s"], f"{r['total_s']:.1f} s", ha="center", va="bottom")
    if docs and size >= 100000:
        axis.axhline(
            120, color="grey", linestyle="--", linewidth=1, label="target (2 min)"
        )
    axis.set_xlabel("worker processes")
    axis.set_ylabel("seconds")
    what = "ladder as shipped, with documents" if docs else "three emails"
    axis.set_title(
        f"Dunning run across workers, {size:,} invoices\n({what})", fontsize=11
    )
    axis.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path)
    print(f"plot: {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()

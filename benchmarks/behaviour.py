"""The nightly payment behaviour and segments at scale.

    python3 benchmarks/behaviour.py --size 100000 [--rebuild] [--profile DIR]
    python3 benchmarks/behaviour.py --measure DB ADDONS LOGFILE   (internal)

Uses the cockpit's template (credit_dunning alone and the data of
generate.py, built once by ``run.py --cockpit`` or here when missing), copies
it, updates credit_dunning on the copy (the behaviour models), then measures
in a fresh process ``credit.payment.behaviour._compute_for_company`` for the
company twice: the first night (every customer enters a segment: rows
created, partners written, notes) and the next one (nothing moves). Prints
seconds, queries, queries per batch of customers, and the segments.

``--profile DIR`` also writes, for each night, a cProfile (``<night>.prof``)
and the queries counted by their text (``<night>_queries.txt``, the most
frequent first), and keeps the working copy of the database for EXPLAIN.
"""

import argparse
import collections
import contextlib
import cProfile
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from odoo_env import addons_path, check_odoo, odoo_env, shell_lib  # noqa: E402


@contextlib.contextmanager
def profiled(profile_dir, name):
    """cProfile and the queries by their text, written to ``profile_dir``."""
    if not profile_dir:
        yield
        return
    from odoo.sql_db import Cursor  # noqa: PLC0415

    counts = collections.Counter()
    execute = Cursor.execute

    def counting(self, query, params=None, log_exceptions=True):
        text = query if isinstance(query, str) else str(getattr(query, "code", query))
        counts[re.sub(r"\s+", " ", text).strip()[:300]] += 1
        return execute(self, query, params, log_exceptions)

    Cursor.execute = counting
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        Cursor.execute = execute
        profile.dump_stats(str(Path(profile_dir, f"{name}.prof")))
        Path(profile_dir, f"{name}_queries.txt").write_text(
            "".join(f"{n:7d}  {text}\n" for text, n in counts.most_common())
        )


@contextlib.contextmanager
def batch_queries(Behaviour):
    """The queries of each batch of customers (figures read, then applied),
    in the list yielded."""
    cls = type(Behaviour)
    read_figures, apply = cls._read_figures, cls._apply
    counts = []

    def counted_read(self, *args, **kwargs):
        counts.append(self.env.cr.sql_log_count)
        return read_figures(self, *args, **kwargs)

    def counted_apply(self, *args, **kwargs):
        result = apply(self, *args, **kwargs)
        counts[-1] = self.env.cr.sql_log_count - counts[-1]
        return result

    cls._read_figures, cls._apply = counted_read, counted_apply
    try:
        yield counts
    finally:
        cls._read_figures, cls._apply = read_figures, apply


def measure(db, addons, logfile, profile_dir=None):
    with odoo_env(db, addons, logfile) as env:
        Behaviour = env["credit.payment.behaviour"]
        from odoo.addons.credit_dunning.behaviour.credit_payment_behaviour import (  # noqa: PLC0415
            BATCH_SIZE,
        )

        company = env.company
        invoices = env["account.move"].search_count(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
        )
        customers = len(Behaviour._customers_of(company))
        batches = -(-customers // BATCH_SIZE)
        results = {"invoices": invoices, "customers": customers, "batches": batches}
        for night in ("first_night", "next_night"):
            env.invalidate_all()
            queries_before = env.cr.sql_log_count
            start = time.perf_counter()
            with profiled(profile_dir, night), batch_queries(Behaviour) as per_batch:
                Behaviour._compute_for_company(company)
                env.flush_all()
            seconds = time.perf_counter() - start
            queries = env.cr.sql_log_count - queries_before
            env.cr.commit()
            results[night] = {
                "seconds": round(seconds, 3),
                "queries": queries,
                "queries_per_batch": round(queries / max(batches, 1), 1),
                # each batch's own queries (the rest is once per company)
                "batch_queries_min": min(per_batch, default=0),
                "batch_queries_max": max(per_batch, default=0),
            }
        results["segments"] = {
            segment.code: count
            for segment, count in Behaviour._read_group(
                [("company_id", "=", company.id)], ["segment_id"], ["__count"]
            )
        }
        results["paid_invoices_in_window"] = sum(
            Behaviour.search([("company_id", "=", company.id)]).mapped("invoices_paid")
        )
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", nargs=3, metavar=("DB", "ADDONS", "LOGFILE"))
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="write cProfile and query counts there, keep the database copy",
    )
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure, profile_dir=args.profile)
        return
    check_odoo()
    shell_lib("ensure_postgres")
    from run import build_template, db_exists  # noqa: PLC0415

    work_dir = tempfile.mkdtemp(prefix="credit_dunning_bench_")
    addons = addons_path(work_dir)
    logfile = str(Path(work_dir, "odoo.log"))
    template = f"credit_dunning_bench_cockpit_{args.size}"
    if args.rebuild or not db_exists(template):
        build_template(
            template,
            addons,
            logfile,
            ["--size", str(args.size), "--seed", str(args.seed)],
            modules="credit_dunning",
        )
    work = f"credit_dunning_bench_behaviour_{args.size}"
    subprocess.run(["dropdb", "--if-exists", work], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", template, work], check=True)
    try:
        print(f"Updating credit_dunning on a copy of {template}...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                work,
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
        subprocess.run(["vacuumdb", "--analyze", "--quiet", work], check=True)
        print("Measuring the nightly payment behaviour...", flush=True)
        profile = (
            ["--profile", str(Path(args.profile).resolve())] if args.profile else []
        )
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", work, addons, logfile, *profile],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        if args.profile:
            print(f"Kept the database {work} (--profile): dropdb {work} when done.")
        else:
            subprocess.run(
                ["dropdb", "--if-exists", work], check=True, capture_output=True
            )
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"{results['invoices']} invoices, {results['customers']} customers, "
        f"{results['batches']} batch(es)"
    )
    for night in ("first_night", "next_night"):
        r = results[night]
        print(
            f"  {night}: {r['seconds']:.3f} s, {r['queries']} queries; each batch "
            f"{r['batch_queries_min']} to {r['batch_queries_max']} queries"
        )
    print(f"  segments: {results['segments']}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"behaviour_{args.size}.json").write_text(
        json.dumps(results, indent=2)
    )


if __name__ == "__main__":
    main()

"""Benchmarks of credit_dunning side by side with OCA's credit-control modules.

    python3 benchmarks/run.py --size 10000 [--rebuild] [--keep]
    python3 benchmarks/run.py --size 10000 --cockpit

Builds (once) a template database with credit_dunning, account_credit_control
and sale_financial_risk installed and a seeded dataset of --size invoices,
then measures each side on its own copy of it (createdb -T):
  1. the full dunning run: credit_dunning's run vs OCA's credit lines
     generation, channel action and emails, for the same three-email policy;
  2. credit_dunning's preview;
  3. the credit check of an order confirmation for customers with 10, 1,000
     and 10,000 invoices (its own template), vs sale_financial_risk;
  4. the "over credit limit" filter vs sale_financial_risk's risk exception.
With --cockpit, only the cockpit's load (get_cockpit_data, get_worklist), on
a template of its own with credit_dunning alone.
Prints a table, writes benchmarks/results/<size>.json and .png, and ends with
the line "ratio ours/OCA run: X.XX".
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from odoo_env import (  # noqa: E402
    REPO,
    addons_path,
    check_odoo,
    ensure_oca_modules,
    shell_lib,
)

MODULES = (
    "credit_dunning,account_credit_control,account_financial_risk,sale_financial_risk"
)
RESULTS = HERE / "results"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-d", db, "-Atqc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def build_template(name, addons, logfile, generate_args, modules=MODULES):
    if db_exists(name):
        psql(f"ALTER DATABASE {name} WITH is_template = FALSE")
        subprocess.run(["dropdb", name], check=True)
    print(f"Building the template database {name} (once)...", flush=True)
    start = time.time()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            name,
            "-i",
            modules,
            f"--addons-path={addons}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            f"--logfile={logfile}",
        ],
        check=True,
    )
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--db",
            name,
            "--addons",
            addons,
            "--logfile",
            logfile,
            *generate_args,
        ],
        check=True,
    )
    # a production database is vacuumed and analysed: so are the templates
    subprocess.run(["vacuumdb", "--analyze", "--quiet", name], check=True)
    psql(f"ALTER DATABASE {name} WITH is_template = TRUE")
    psql(f"COMMENT ON DATABASE {name} IS '{code_fingerprint()}'")
    print(f"Template {name} built in {time.time() - start:.0f}s", flush=True)


def code_fingerprint():
    """A hash of the addon's code and data (not its tests nor benchmarks)."""
    digest = hashlib.sha1()
    for path in sorted(REPO.rglob("*")):
        relative = path.relative_to(REPO)
        if (
            path.is_file()
            and relative.parts[0] not in {".git", "benchmarks", "tests", "docs"}
            and path.suffix in {".py", ".xml", ".csv", ".po", ".js", ".scss"}
        ):
            digest.update(str(relative).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def up_to_date(name, addons, logfile):
    """A template built by an earlier version of the code is updated
    (``-u credit_dunning``) before it is measured: a new column would
    otherwise be missing. The fingerprint of the code that updated it is kept
    as the database's comment."""
    fingerprint = code_fingerprint()
    current = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-Atqc",
            f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            f"WHERE datname = '{name}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if current != fingerprint:
        print(f"Updating credit_dunning in {name} (the code changed)...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                name,
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
        subprocess.run(["vacuumdb", "--analyze", "--quiet", name], check=True)
        psql(f"COMMENT ON DATABASE {name} IS '{fingerprint}'")


def measure(template, addons, logfile, what, *args, env=None):
    work = f"{template}_work"
    subprocess.run(["dropdb", "--if-exists", work], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", template, work], check=True)
    try:
        out = subprocess.run(
            [
                sys.executable,
                str(HERE / "measure.py"),
                work,
                addons,
                logfile,
                what,
                *map(str, args),
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    finally:
        subprocess.run(["dropdb", "--if-exists", work], check=True, capture_output=True)
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"  {what} {' '.join(map(str, args))}: {result['seconds']:.3f}s, "
        f"{result['queries']} queries, +{result['memory_mb']:.0f} MiB",
        flush=True,
    )
    return result


def measure_runs(template, addons, logfile, repeat):
    """The full run of both sides, ``repeat`` times each, one after the
    other (a load on the machine falls on both sides alike), each side's
    median kept (its other figures those of that run; OCA's PDF sample
    from its first run only). One run's time moves by 20 to 40 % on this
    machine from one measurement to the next."""
    measured = {"ours_run": [], "oca_run": []}
    quiet = dict(os.environ, CREDIT_DUNNING_BENCH_NO_PDF_SAMPLE="1")
    for index in range(repeat):
        for what, runs in measured.items():
            runs.append(
                measure(template, addons, logfile, what, env=quiet if index else None)
            )
    results = {}
    for what, runs in measured.items():
        median = dict(sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2])
        median["seconds_each"] = [round(r["seconds"], 3) for r in runs]
        if "pdf_sample" in runs[0]:
            median["pdf_sample"] = runs[0]["pdf_sample"]
        results[what] = median
    if repeat > 1:
        for what, result in results.items():
            print(
                f"  {what}: median of {repeat} {result['seconds']:.3f}s "
                f"({', '.join(f'{s:.3f}' for s in result['seconds_each'])})",
                flush=True,
            )
    return results


def oca_with_pdf(oca_run):
    """OCA's run with its PDF attached to every email, extrapolated: the run
    measured without PDF plus, per communication, the rendering time of its
    PDF measured on a sample (one wkhtmltopdf call each, as its template
    renders it)."""
    sample = oca_run["pdf_sample"]
    each = sample["seconds"] / sample["count"] if sample["count"] else 0.0
    return {
        "seconds": oca_run["seconds"] + each * oca_run["communications"],
        "queries": oca_run["queries"],
        "memory_mb": oca_run["memory_mb"],
        "communications": oca_run["communications"],
        "pdf_sample": sample["count"],
        "pdf_seconds_each": each,
        "extrapolated": True,
    }


# the rows whose two sides must find the same result: (label, ours, OCA, key)
FAIR_ROWS = [
    (
        "over-limit filter: customers found, not owing in a foreign currency",
        "ours_filter",
        "oca_filter",
        "partners_home",
    ),
]


def fair_lines(results):
    lines = [
        f"over-limit filter: customers found ours {results['ours_filter']['partners']}, "
        f"OCA {results['oca_filter']['partners']} (account_financial_risk converts "
        "the company-currency residual of foreign-currency invoices a second "
        "time: compared below without the customers owing in EUR or GBP)"
    ]
    for label, ours, theirs, key in FAIR_ROWS:
        lines.append(f"{label}: ours {results[ours][key]}, OCA {results[theirs][key]}")
    for count in ("10", "1000", "10000"):
        lines.append(
            f"confirmation check, {count} invoices: blocked ours "
            f"{results['ours_check'][count]['blocked']}, OCA "
            f"{results['oca_check'][count]['blocked']}"
        )
    oca = results["oca_run"]
    lines.append(
        f"full run: invoices moved up ours {results['ours_run']['invoices']}, "
        f"OCA credit lines {oca['invoices']}, {oca['invoices_net']} without the "
        f"{oca['customers_covered']} customer(s) whose open credit notes and "
        "payments cover their overdue (credit_dunning decides on the net "
        "position, account_credit_control line by line)"
    )
    return lines


def fairness(results):
    """The side-by-side rows where the two sides did not find or block the
    same: a comparison of different work is no comparison."""
    unfair = [
        f"{label}: ours {results[ours][key]}, OCA {results[theirs][key]}"
        for label, ours, theirs, key in FAIR_ROWS
        if results[ours][key] != results[theirs][key]
    ]
    unfair += [
        f"confirmation check, {count} invoices: ours blocked "
        f"{results['ours_check'][count]['blocked']}, OCA "
        f"{results['oca_check'][count]['blocked']}"
        for count in ("10", "1000", "10000")
        if results["ours_check"][count]["blocked"]
        != results["oca_check"][count]["blocked"]
        or not results["ours_check"][count]["blocked"]
    ]
    if results["ours_run"]["invoices"] != results["oca_run"]["invoices_net"]:
        unfair.append(
            f"full run: ours moved up {results['ours_run']['invoices']} invoices, "
            f"OCA made {results['oca_run']['invoices_net']} credit lines for the "
            "customers whose credits do not cover their overdue"
        )
    return unfair


def ratio(ours, theirs):
    return ours / theirs if theirs else float("nan")


def pyplot():
    """matplotlib's pyplot, drawing to files (installed by main())."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    return plt


def plot(results, path):
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    names = [
        "run, 3 emails",
        "run with\ndocuments (*)",
        "preview",
        "over-limit\nfilter",
    ]
    ours = [
        results["ours_run"]["seconds"],
        results["ours_run_docs"]["seconds"],
        results["ours_preview"]["seconds"],
        results["ours_filter"]["seconds"],
    ]
    theirs = [
        results["oca_run"]["seconds"],
        results["oca_run_docs"]["seconds"],
        None,
        results["oca_filter"]["seconds"],
    ]
    x = range(len(names))
    axes[0].bar([i - 0.2 for i in x], ours, 0.4, label="credit_dunning")
    axes[0].bar([i + 0.2 for i in x], [t or 0 for t in theirs], 0.4, label="OCA")
    axes[0].set_xticks(list(x), names)
    axes[0].set_yscale("log")  # OCA's run is tens of times longer
    axes[0].set_ylabel("seconds (log)")
    axes[0].set_title(
        f"{results['size']} invoices ((*) OCA extrapolated from a PDF sample)",
        fontsize=9,
    )
    axes[0].legend()
    counts = [10, 1000, 10000]
    panels = [
        (axes[1], "ms", "order confirmation check", lambda r: r["seconds"] * 1000),
        (
            axes[2],
            "queries",
            "order confirmation check: queries",
            lambda r: r["queries"],
        ),
    ]
    for axis, unit, title, value in panels:
        for key, label in (
            ("ours_check", "credit_dunning"),
            ("oca_check", "sale_financial_risk"),
        ):
            axis.plot(
                counts, [value(results[key][str(c)]) for c in counts], "o-", label=label
            )
        axis.set_xscale("log")
        axis.set_xlabel("invoices of the customer")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.legend()
    fig.tight_layout()
    fig.savefig(path)


def plot_scaling(path):
    """The full run against the number of invoices, for every size measured
    so far: side by side (results/<size>.json), ours alone where OCA's side
    was not measured again (results/ours_<size>.json), and the ladder with its
    documents on two workers (results/workers_<size>_docs.json)."""
    plt = pyplot()
    runs = [json.loads(f.read_text()) for f in RESULTS.glob("[0-9]*.json")]
    sizes = {r["size"] for r in runs}
    runs += [
        r
        for r in (json.loads(f.read_text()) for f in RESULTS.glob("ours_[0-9]*.json"))
        if r["size"] not in sizes
    ]
    runs.sort(key=lambda r: r["size"])
    if len(runs) < 2:
        return False
    on_two = sorted(
        (spread["size"], run["total_s"])
        for spread in (
            json.loads(f.read_text()) for f in RESULTS.glob("workers_[0-9]*_docs.json")
        )
        for run in spread["runs"]
        if run["workers"] == 2
    )
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for axis, key, unit in (
        (axes[0], "seconds", "seconds"),
        (axes[1], "queries", "queries"),
    ):
        sides = [("ours_run", "credit_dunning"), ("oca_run", "OCA")]
        if key == "seconds":
            sides += [
                ("ours_run_docs", "credit_dunning, ladder as shipped, documents"),
                ("oca_run_docs", "OCA with PDF (extrapolated)"),
            ]
        for side, label in sides:
            points = [(r["size"], r[side][key]) for r in runs if side in r]
            if len(points) < 2:
                continue
            axis.plot(*zip(*points, strict=True), "o-", label=label)
        if key == "seconds" and on_two:
            axis.plot(
                *zip(*on_two, strict=True),
                "s",
                label="credit_dunning, ladder as shipped, documents, 2 workers",
            )
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("invoices")
        axis.set_ylabel(unit)
        axis.set_title(f"full dunning run: {unit}")
        # room above the lines for the legend
        low, high = axis.get_ylim()
        axis.set_ylim(low, high * 30)
        axis.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    return True


def cockpit(args, addons, logfile):
    """The cockpit's load on a template of its own, credit_dunning alone (the
    OCA peers have no cockpit): get_cockpit_data and get_worklist("all") as
    a credit manager, in a warm worker."""
    template = f"credit_dunning_bench_cockpit_{args.size}"
    if args.rebuild or not db_exists(template):
        build_template(
            template,
            addons,
            logfile,
            ["--size", str(args.size), "--seed", str(args.seed)],
            modules="credit_dunning",
        )
    up_to_date(template, addons, logfile)
    if args.build_only:
        return
    print(f"Measuring the cockpit on {args.size} invoices...", flush=True)
    results = {"size": args.size}
    for what in ("ours_cockpit", "ours_worklist"):
        results[what] = measure(template, addons, logfile, what)
    print(
        f"\n{'cockpit load (' + str(args.size) + ' invoices)':<36} {'s':>9} {'queries':>8}"
    )
    for name, key in (
        ("get_cockpit_data", "ours_cockpit"),
        ("get_worklist('all')", "ours_worklist"),
    ):
        print(
            f"{name:<36} {results[key]['seconds']:>9.3f} {results[key]['queries']:>8}"
        )
    (RESULTS / f"cockpit_{args.size}.json").write_text(json.dumps(results, indent=2))


def ours_only(args, addons, logfile):
    """Our runs alone (three emails; the ladder as shipped with its
    documents; the preview) on the cockpit's template: credit_dunning alone,
    the same data. For the size where OCA's side takes hours to build and
    run (100,000 invoices), its figures are those of the full benchmark."""
    template = f"credit_dunning_bench_cockpit_{args.size}"
    if args.rebuild or not db_exists(template):
        build_template(
            template,
            addons,
            logfile,
            ["--size", str(args.size), "--seed", str(args.seed)],
            modules="credit_dunning",
        )
    up_to_date(template, addons, logfile)
    if args.build_only:
        return
    print(f"Measuring our runs alone on {args.size} invoices...", flush=True)
    results = {"size": args.size}
    for what in ("ours_run", "ours_run_docs", "ours_preview"):
        results[what] = measure(template, addons, logfile, what)
    run, docs = results["ours_run"], results["ours_run_docs"]
    print(
        f"\nours ({args.size} invoices): full run, 3 emails, no documents "
        f"{run['seconds']:.3f}s, {run['queries']} queries, "
        f"+{run['memory_mb']:.0f} MiB ({run['communications']} reminders, "
        f"{run['invoices']} invoices moved up)"
    )
    print(
        f"ours ({args.size} invoices): run with documents {docs['seconds']:.3f}s, "
        f"{docs['queries']} queries, +{docs['memory_mb']:.0f} MiB "
        f"({docs['communications']} reminders, {docs['emails']} emails queued, "
        f"{docs['letters']} letters, {docs['held']} held, "
        f"{docs['wkhtmltopdf_calls']} wkhtmltopdf calls "
        f"({docs['wkhtmltopdf_seconds']:.1f}s))"
    )
    print(
        f"ours ({args.size} invoices): preview {results['ours_preview']['seconds']:.3f}s, "
        f"{results['ours_preview']['queries']} queries"
    )
    (RESULTS / f"ours_{args.size}.json").write_text(json.dumps(results, indent=2))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size",
        type=int,
        default=1000,
        help="number of invoices (1000, 10000, 100000)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--rebuild-check",
        action="store_true",
        help="rebuild the template of the confirmation-check benchmark",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build the templates, measure nothing"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the template databases"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help="measure the full run of both sides N times and keep each side's "
        "median (default: 5 at 1,000 invoices or fewer, 3 up to 10,000, else 1)",
    )
    parser.add_argument(
        "--ours-only",
        action="store_true",
        help="measure our runs only, on the cockpit's template (no OCA side)",
    )
    parser.add_argument(
        "--cockpit",
        action="store_true",
        help="measure the cockpit's load only (credit_dunning alone)",
    )
    args = parser.parse_args()
    if args.repeat is None:
        args.repeat = 5 if args.size <= 1000 else 3 if args.size <= 10000 else 1
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")

    check_odoo()
    shell_lib("ensure_postgres")
    if args.cockpit:
        RESULTS.mkdir(exist_ok=True)
        work_dir = Path(tempfile.mkdtemp(prefix="credit_dunning_bench_"))
        logfile = str(RESULTS / f"odoo-cockpit-{args.size}.log")
        cockpit(args, addons_path(work_dir), logfile)
        return
    if args.ours_only:
        RESULTS.mkdir(exist_ok=True)
        work_dir = Path(tempfile.mkdtemp(prefix="credit_dunning_bench_"))
        logfile = str(RESULTS / f"odoo-ours-{args.size}.log")
        ours_only(args, addons_path(work_dir), logfile)
        return
    ensure_oca_modules()
    try:
        import matplotlib  # noqa: F401, PLC0415
    except ImportError:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "matplotlib"], check=True
        )
    RESULTS.mkdir(exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix="credit_dunning_bench_"))
    addons = addons_path(work_dir)
    logfile = str(RESULTS / f"odoo-{args.size}.log")

    template = f"credit_dunning_bench_{args.size}"
    if args.rebuild or not db_exists(template):
        build_template(
            template,
            addons,
            logfile,
            ["--size", str(args.size), "--seed", str(args.seed)],
        )
    check_template = "credit_dunning_bench_check"
    if args.rebuild_check or not db_exists(check_template):
        build_template(
            check_template, addons, logfile, ["--check", "--seed", str(args.seed)]
        )

    up_to_date(template, addons, logfile)
    up_to_date(check_template, addons, logfile)
    if args.build_only:
        return
    print(f"Measuring on {args.size} invoices...", flush=True)
    results = {"size": args.size, "repeat": args.repeat}
    results.update(measure_runs(template, addons, logfile, args.repeat))
    for what in (
        "ours_run_docs",
        "letters",
        "ours_preview",
        "ours_filter",
        "oca_filter",
    ):
        results[what] = measure(template, addons, logfile, what)
    for what in ("ours_check", "oca_check"):
        results[what] = {
            str(c): measure(check_template, addons, logfile, what, c)
            for c in (10, 1000, 10000)
        }
    results["oca_run_docs"] = oca_with_pdf(results["oca_run"])
    unfair = fairness(results)

    run_ratio = ratio(results["ours_run"]["seconds"], results["oca_run"]["seconds"])
    rows = [
        ("full run, 3 emails, no documents", results["ours_run"], results["oca_run"]),
        (
            "run with documents (*)",
            results["ours_run_docs"],
            results["oca_run_docs"],
        ),
        ("preview", results["ours_preview"], None),
        ("over-limit filter", results["ours_filter"], results["oca_filter"]),
    ] + [
        (
            f"confirmation check, {c} invoices",
            results["ours_check"][str(c)],
            results["oca_check"][str(c)],
        )
        for c in ("10", "1000", "10000")
    ]
    print()
    print(
        f"{'benchmark (' + str(args.size) + ' invoices)':<36} {'ours s':>9} {'OCA s':>9} {'ratio':>7} "
        f"{'ours q':>8} {'OCA q':>8} {'ours MiB':>9} {'OCA MiB':>8}"
    )
    for name, ours, theirs in rows:
        print(
            f"{name:<36} {ours['seconds']:>9.3f} "
            f"{(theirs['seconds'] if theirs else float('nan')):>9.3f} "
            f"{(ratio(ours['seconds'], theirs['seconds']) if theirs else float('nan')):>7.2f} "
            f"{ours['queries']:>8} {(theirs['queries'] if theirs else '-'):>8} "
            f"{ours['memory_mb']:>9.0f} {(theirs['memory_mb'] if theirs else float('nan')):>8.0f}"
        )
    print(
        f"\nours: {results['ours_run']['communications']} reminders, "
        f"{results['ours_run']['invoices']} invoices moved up; OCA: "
        f"{results['oca_run']['communications']} communications, "
        f"{results['oca_run']['invoices']} credit lines"
    )
    if args.repeat > 1:
        print(
            f"full run: median of {args.repeat} runs each side, one side after the "
            f"other (ours {results['ours_run']['seconds_each']}, OCA "
            f"{results['oca_run']['seconds_each']})"
        )
    docs = results["ours_run_docs"]
    oca_docs = results["oca_run_docs"]
    print(
        f"(*) ours: the ladder as shipped, {docs['communications']} reminders "
        f"({docs['emails']} emails queued, {docs['letters']} "
        f"letters, {docs['held']} held), {docs['wkhtmltopdf_calls']} wkhtmltopdf "
        f"calls ({docs['wkhtmltopdf_seconds']:.1f}s); OCA: its run with the PDF "
        f"attached to each of its {oca_docs['communications']} emails, "
        f"EXTRAPOLATED: the run without PDF plus "
        f"{oca_docs['pdf_seconds_each']:.2f}s per PDF measured on "
        f"{oca_docs['pdf_sample']} communications"
    )
    for count in (10, 100):
        one, each = (
            results["letters"][f"one_call_{count}"],
            results["letters"][f"per_letter_{count}"],
        )
        print(
            f"printing {one['letters']} letters: one PDF from {one['calls']} "
            f"wkhtmltopdf call in {one['seconds']:.2f}s, one call per letter "
            f"{each['seconds']:.2f}s ({each['calls']} calls)"
        )
    for line in fair_lines(results):
        print(line)
    (RESULTS / f"{args.size}.json").write_text(json.dumps(results, indent=2))
    plot(results, RESULTS / f"{args.size}.png")
    print(f"plot: {RESULTS / f'{args.size}.png'}")
    if plot_scaling(RESULTS / "scaling.png"):
        print(f"plot of the sizes measured so far: {RESULTS / 'scaling.png'}")
    print(f"ratio ours/OCA run: {run_ratio:.2f}")
    if unfair:
        sys.exit(
            "error: the two sides did not do the same work:\n  " + "\n  ".join(unfair)
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()

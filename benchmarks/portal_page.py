"""The customer's account page with 1,000 open invoices: seconds to serve
/my/credit/<token> over HTTP, as a customer without an account opens it.

    python3 benchmarks/portal_page.py [--invoices 1000] [--size 100000] [--keep]

Builds a throw-away database (credit_dunning installed, one customer with
N posted open invoices, a third of them overdue, and its link), starts an
Odoo server on it, opens the page once (first visit: templates compiled,
access tokens of the invoices written), then 5 times more, and prints the
median of those 5 (target: under 1 s for 1,000 invoices). With --size, the
database is a copy of the cockpit benchmark's template of that many
invoices (generate.py's data) with the big customer added, and the page of
the generated customer with the most open invoices is measured too."""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import addons_path, check_odoo, odoo_env, shell_lib  # noqa: E402


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(db, addons, logfile, count, template=None):
    """A database with credit_dunning: a fresh one, or a copy of ``template``
    (the data of generate.py); plus the big customer and its ``count`` open
    invoices. Returns the big customer's link token and, in a copy, that of
    the generated customer with the most open invoices."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    if template:
        subprocess.run(["createdb", "-T", template, db], check=True)
    else:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                db,
                "-i",
                "credit_dunning",
                f"--addons-path={addons}",
                f"--logfile={logfile}",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ],
            check=True,
        )
    with odoo_env(db, addons, logfile) as env:
        env = env(context={"tracking_disable": True, "mail_notrack": True})
        customer = env["res.partner"].create(
            {"name": "Big Customer", "is_company": True, "email": "big@example.com"}
        )
        today = date.today()
        rng = random.Random(42)
        Move = env["account.move"]
        for start in range(0, count, 250):
            moves = Move.create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": today - timedelta(days=rng.randint(1, 120)),
                        "invoice_date_due": today
                        + timedelta(days=rng.randint(-60, 30)),
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": "Goods",
                                    "quantity": 1,
                                    "price_unit": rng.randint(50, 5000),
                                    "tax_ids": [],
                                },
                            )
                        ],
                    }
                    for _ in range(start, min(start + 250, count))
                ]
            )
            moves.action_post()
        Access = env["credit.dunning.access"]
        tokens = [Access._ensure_for(customer, env.company)[customer.id].token]
        if template:
            env.cr.execute(
                """
                SELECT m.commercial_partner_id FROM account_move m
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.commercial_partner_id != %s
                 GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1
                """,
                [customer.id],
            )
            typical = env["res.partner"].browse(env.cr.fetchone()[0])
            tokens.append(Access._ensure_for(typical, env.company)[typical.id].token)
        env.cr.commit()
    return tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--size",
        type=int,
        help="add the big customer to a copy of the cockpit benchmark's template "
        "of SIZE invoices (run.py --cockpit --size SIZE builds it), and measure "
        "also the page of the generated customer with the most open invoices",
    )
    args = parser.parse_args()
    check_odoo()
    shell_lib("ensure_postgres")
    work = Path(tempfile.mkdtemp(prefix="credit_dunning_portal_bench_"))
    addons = addons_path(work)
    logfile = str(work / "odoo.log")
    db = f"credit_dunning_bench_portal_{args.invoices}"
    template = None
    if args.size:
        from run import db_exists, up_to_date  # noqa: PLC0415

        template = f"credit_dunning_bench_cockpit_{args.size}"
        if not db_exists(template):
            sys.exit(
                f"error: {template} is missing: run.py --cockpit --size {args.size}"
            )
        up_to_date(template, addons, logfile)
        db = f"credit_dunning_bench_portal_{args.invoices}_in_{args.size}"
    print(f"Building {db} ({args.invoices} open invoices)...", flush=True)
    tokens = build(db, addons, logfile, args.invoices, template)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--addons-path={addons}",
            f"--logfile={logfile}",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        env=dict(os.environ),
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=2)
                break
            except OSError:
                time.sleep(1)

        def fetch(token):
            start = time.perf_counter()
            url = f"http://127.0.0.1:{port}/my/credit/{token}"
            with urllib.request.urlopen(url, timeout=60) as response:
                body = response.read()
            return time.perf_counter() - start, body

        pages = []
        for token in tokens:
            first, body = fetch(token)
            assert body.count(b'name="invoice_ids"') > 0
            warm = [fetch(token)[0] for _ in range(5)]
            pages.append((first, body, warm))
        assert b"Big Customer" in pages[0][1]
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            import odoo.sql_db  # noqa: PLC0415

            odoo.sql_db.close_db(db)
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    where = f" in a database of {args.size} invoices" if args.size else ""
    names = [f"page of {args.invoices} open invoices{where}"]
    if len(pages) > 1:
        names.append(f"page of the busiest generated customer{where}")
    for name, (first, body, warm) in zip(names, pages, strict=False):
        rows = body.count(b"<tr")
        print(f"{name} ({rows} table rows)")
        print(f"  first visit: {first:.3f} s")
        print(
            f"  next visits: median {statistics.median(warm):.3f} s, "
            f"min {min(warm):.3f} s, max {max(warm):.3f} s"
        )


if __name__ == "__main__":
    main()

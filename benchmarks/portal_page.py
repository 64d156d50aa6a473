"""The customer's account page with 1,000 open invoices: seconds to serve
/my/credit/<token> over HTTP, as a customer without an account opens it.

    python3 benchmarks/portal_page.py [--invoices 1000] [--keep]

Builds a throw-away database (credit_dunning installed, one customer with
N posted open invoices, a third of them overdue, and its link), starts an
Odoo server on it, opens the page once (first visit: templates compiled,
access tokens of the invoices written), then 5 times more, and prints the
median of those 5 (target: under 1 s for 1,000 invoices)."""

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


def build(db, addons, logfile, count):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
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
        access = env["credit.dunning.access"]._ensure_for(customer, env.company)[
            customer.id
        ]
        token = access.token
        env.cr.commit()
    return token


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    check_odoo()
    shell_lib("ensure_postgres")
    work = Path(tempfile.mkdtemp(prefix="credit_dunning_portal_bench_"))
    addons = addons_path(work)
    logfile = str(work / "odoo.log")
    db = f"credit_dunning_bench_portal_{args.invoices}"
    print(f"Building {db} ({args.invoices} open invoices)...", flush=True)
    token = build(db, addons, logfile, args.invoices)
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
    url = f"http://127.0.0.1:{port}/my/credit/{token}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=2)
                break
            except OSError:
                time.sleep(1)

        def fetch():
            start = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as response:
                body = response.read()
            return time.perf_counter() - start, body

        first, body = fetch()
        assert b"Big Customer" in body and body.count(b'name="invoice_ids"') > 0
        warm = [fetch()[0] for _ in range(5)]
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            import odoo.sql_db  # noqa: PLC0415

            odoo.sql_db.close_db(db)
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    rows = body.count(b"<tr")
    print(f"page of {args.invoices} open invoices ({rows} table rows)")
    print(f"first visit: {first:.3f} s")
    print(
        f"next visits: median {statistics.median(warm):.3f} s, "
        f"min {min(warm):.3f} s, max {max(warm):.3f} s"
    )


if __name__ == "__main__":
    main()

"""The webshop's payment page with and without the webshop bridge's credit
checks, side by side: seconds to serve /shop/payment to a logged-in buyer
with a cart.

    python3 benchmarks/webshop_payment_page.py [--invoices 1000] [--repeat 30]
        [--template DB] [--keep]

Builds a throw-away database (credit_dunning_website_sale, payment_demo and
wire transfer installed; or a copy of --template, a database where they
are), with two customers whose portal buyers have a one-line cart:

- "Good Customer": ``--invoices`` open invoices, none overdue, a credit
  limit above its exposure: the page runs every check (the payment
  prediction, the provider filter with the exposure against the limit) and
  offers the payment form;
- "Held Customer": on credit hold with an overdue invoice: the page shows
  the hold and no payment form.

The requests go through Odoo's WSGI application in this process (werkzeug's
test client: routing, session, rendering, no network), logged in as each
buyer. For each customer, after 3 warm-up requests, ``--repeat`` rounds
alternate one request with the bridge's checks and one with them patched out
(``_credit_webshop_block`` returns nothing, ``_credit_webshop_allowed_providers``
lets every provider through). It prints the medians and the difference
(target: no more than 50 ms slower) and writes results/webshop_payment_page_<invoices>.json.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import REPO, addons_path, check_odoo, shell_lib  # noqa: E402

MODULES = "credit_dunning_website_sale,payment_demo,payment_custom"
TARGET_MS = 50.0
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def link_bridges(addons, work):
    """The bridges of this checkout beside credit_dunning in the addons path."""
    link_dir = Path(work, "addons")
    for bridge in sorted(Path(REPO, "bridges").iterdir()):
        link = link_dir / bridge.name
        if bridge.is_dir() and not link.exists():
            link.symlink_to(bridge)
    return addons


def build(db, addons, logfile, count, template):
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
                MODULES,
                f"--addons-path={addons}",
                f"--logfile={logfile}",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
                "--without-demo=all",
            ],
            check=True,
        )


def populate(env, count):
    """The providers, the product, the two customers, their buyers and
    carts. Returns {customer name: (login, cart id)}."""
    env = env(context={"tracking_disable": True, "mail_notrack": True})
    company = env.ref("base.main_company")
    company.account_use_credit_limit = True
    website = env.ref("website.default_website")
    website.company_id = company
    Provider = env["payment.provider"]
    Provider.search([("code", "=", "demo"), ("company_id", "=", company.id)]).write(
        {"state": "test", "is_published": True}
    )
    Provider.search(
        [("custom_mode", "=", "wire_transfer"), ("company_id", "=", company.id)]
    ).write({"state": "enabled", "is_published": True})
    product = env["product.product"].create(
        {
            "name": "Annual Maintenance",
            "type": "service",
            "list_price": 250.0,
            "taxes_id": [],
            "is_published": True,
        }
    )
    country = env.ref("base.be")
    # given, not guessed from the customer's past lines (a query per line
    # that grows with them)
    income = env["account.account"].search(
        [
            *env["account.account"]._check_company_domain(company),
            ("account_type", "=", "income"),
        ],
        limit=1,
    )
    today = date.today()
    carts = {}
    for name, invoices, held in (
        ("Good Customer", count, False),
        ("Held Customer", 1, True),
    ):
        customer = env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[0].lower()}@example.com",
                "street": "1 rue de la Paix",
                "city": "Bruxelles",
                "zip": "1000",
                "country_id": country.id,
            }
        )
        login = f"buyer_{name.split()[0].lower()}"
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Buyer of {name}",
                    "login": login,
                    "password": login + "-Pass-1",
                    "email": f"{login}@example.com",
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
            )
        )
        user.partner_id.write(
            {
                "parent_id": customer.id,
                "street": "1 rue de la Paix",
                "city": "Bruxelles",
                "zip": "1000",
                "country_id": country.id,
                "phone": "+32 2 000 00 00",
            }
        )
        Move = env["account.move"]
        for start in range(0, invoices, 250):
            moves = Move.create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": today - timedelta(days=40 if held else 5),
                        "invoice_date_due": today
                        + (timedelta(days=-30) if held else timedelta(days=25)),
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": "Goods",
                                    "account_id": income.id,
                                    "quantity": 1,
                                    "price_unit": 100.0,
                                    "tax_ids": [],
                                },
                            )
                        ],
                    }
                    for _ in range(start, min(start + 250, invoices))
                ]
            )
            moves.action_post()
        customer.with_company(company).credit_limit = 100.0 * invoices + 10000
        if held:
            customer._credit_set_flags("benchmark", credit_hold=True)
        cart = env["sale.order"].create(
            {
                "partner_id": user.partner_id.id,
                "website_id": website.id,
                "order_line": [(0, 0, {"product_id": product.id})],
            }
        )
        carts[name] = (login, cart.id)
    env.cr.commit()
    return carts


def measure(db, carts, repeat):
    from werkzeug.test import Client  # noqa: PLC0415

    import odoo.http  # noqa: PLC0415

    from odoo.addons.credit_dunning_website_sale.models.sale_order import (  # noqa: PLC0415
        SaleOrder,
    )

    def checks_out():
        stack = ExitStack()
        stack.enter_context(
            patch.object(SaleOrder, "_credit_webshop_block", lambda self: {})
        )
        stack.enter_context(
            patch.object(
                SaleOrder,
                "_credit_webshop_allowed_providers",
                lambda self, providers: (providers, ""),
            )
        )
        return stack

    results = {}
    for name, (login, _cart_id) in carts.items():
        client = Client(odoo.http.root)
        response = client.post(
            "/web/session/authenticate",
            environ_base=ENVIRON,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": db, "login": login, "password": login + "-Pass-1"},
            },
        )
        assert "error" not in response.json, response.json

        def fetch(client=client):
            start = time.perf_counter()
            response = client.get("/shop/payment", environ_base=ENVIRON)
            body = response.get_data()
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            return elapsed, body

        for _ in range(3):
            _elapsed, body_in = fetch()
            with checks_out():
                _elapsed, body_out = fetch()
        held = name.startswith("Held")
        assert b"o_payment_form" in body_out
        assert (b"Your account is on hold" in body_in) == held
        assert (b"o_payment_form" in body_in) != held
        with_checks, without = [], []
        for _ in range(repeat):
            with_checks.append(fetch()[0])
            with checks_out():
                without.append(fetch()[0])
        median_in = statistics.median(with_checks) * 1000
        median_out = statistics.median(without) * 1000
        results[name] = {
            "page": "hold shown, no payment form" if held else "payment form",
            "with_checks_ms": round(median_in, 1),
            "without_checks_ms": round(median_out, 1),
            "difference_ms": round(median_in - median_out, 1),
            "with_checks_min_ms": round(min(with_checks) * 1000, 1),
            "without_checks_min_ms": round(min(without) * 1000, 1),
        }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--template",
        help="copy this database (with credit_dunning_website_sale, "
        "payment_demo and payment_custom installed) instead of installing",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    check_odoo()
    shell_lib("ensure_postgres")
    work = Path(tempfile.mkdtemp(prefix="credit_dunning_webshop_bench_"))
    addons = link_bridges(addons_path(work), work)
    logfile = str(work / "odoo.log")
    db = f"credit_dunning_bench_webshop_{args.invoices}"
    print(f"Building {db} ({args.invoices} open invoices)...", flush=True)
    build(db, addons, logfile, args.invoices, args.template)

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            f"--addons-path={addons}",
            f"--database={db}",
            f"--db-filter=^{db}$",
            f"--data-dir={work / 'data'}",
            "--log-level=warn",
            f"--logfile={logfile}",
        ],
        setup_logging=True,
    )
    try:
        registry = Registry(db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            carts = populate(env, args.invoices)
        results = measure(db, carts, args.repeat)
    finally:
        if not args.keep:
            import odoo.sql_db  # noqa: PLC0415

            odoo.sql_db.close_db(db)
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    output = {
        "invoices": args.invoices,
        "repeat": args.repeat,
        "commit": commit,
        "target_ms": TARGET_MS,
        "customers": results,
    }
    path = Path(
        REPO, "benchmarks", "results", f"webshop_payment_page_{args.invoices}.json"
    )
    path.write_text(json.dumps(output, indent=2) + "\n")
    print(f"/shop/payment, median of {args.repeat} requests each (ms):")
    for name, row in results.items():
        verdict = "ok" if row["difference_ms"] <= TARGET_MS else "TOO SLOW"
        print(
            f"  {name} ({row['page']}): with checks {row['with_checks_ms']}, "
            f"without {row['without_checks_ms']}, "
            f"difference {row['difference_ms']} ({verdict}, target "
            f"<= {TARGET_MS:.0f})"
        )
    print(f"written {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()

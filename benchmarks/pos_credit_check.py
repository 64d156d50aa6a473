"""The Point of Sale's credit check of a customer with 10,000 open invoices:
milliseconds on the server, and what a cash sale costs (no check).

    python3 benchmarks/pos_credit_check.py [--invoices 10000] [--repeat 30]
                                           [--template DB] [--keep]

Builds a throw-away database (credit_dunning_pos installed, which brings
credit_dunning, credit_dunning_stock and point_of_sale; or a copy of
``--template``, a database with point_of_sale and credit_dunning installed,
where credit_dunning_pos is installed or updated), with:

- one customer, its credit limit set, and ``--invoices`` posted open invoices
  (one made through the ORM, the others copied from it in SQL, a third of
  them overdue);
- a Point of Sale with Cash and Customer Account, a cashier, an open session,
  and 20 sales on Customer Account not yet posted (in the exposure).

Measured, in a warm process (a first call fills the caches, every measured
call reads the records anew):

1. ``res.partner.credit_pos_check(amount, config_id)`` as the cashier, what
   the till calls when a Customer Account payment line is added or the order
   validated: median, min, max of ``--repeat`` calls, queries per call
   (target: under 100 ms);
2. ``pos.order.sync_from_ui`` of a cash sale to that customer, and of a sale
   on Customer Account, with the number of exposure queries run during each
   (a cash sale runs none: the till makes no call for it either, see
   static/src/app/credit_check.js).

Prints a table and writes results/pos_credit_check.json."""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import REPO, addons_path, check_odoo, odoo_env, shell_lib  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "pos_credit_check.json"


def bench_addons_path(work):
    """The addons path of odoo_env, plus the bridges of bridges/."""
    addons = addons_path(work)
    link_dir = Path(work, "addons")
    for bridge in sorted((REPO / "bridges").iterdir()):
        link = link_dir / bridge.name
        if (bridge / "__manifest__.py").exists() and not link.exists():
            link.symlink_to(bridge)
    return addons


def odoo_cli(db, addons, logfile, *args):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={addons}",
            f"--logfile={logfile}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            *args,
        ],
        check=True,
    )


def clone_invoices(env, invoice, count):
    """``count`` - 1 copies of the posted ``invoice`` in SQL (moves and
    lines), numbered BENCH/n, due from 90 days ago to 30 days ahead."""
    cr = env.cr
    env.flush_all()

    def columns(table):
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cr.fetchall()]

    cr.execute(
        "CREATE TEMP TABLE bench_map AS "
        "SELECT n, nextval('account_move_id_seq') AS id, "
        "CURRENT_DATE - 90 + (n %% 120) AS due "
        "FROM generate_series(1, %s) n",
        [count - 1],
    )
    special = {
        "name": "'BENCH/' || bm.n",
        "sequence_prefix": "'BENCH/'",
        "sequence_number": "bm.n",
        "invoice_date_due": "bm.due",
        "access_token": "NULL",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
    }
    move_cols = columns("account_move")
    cr.execute(
        f"""
        INSERT INTO account_move (id, {", ".join(move_cols)})
        SELECT bm.id, {", ".join(special.get(c, "m." + c) for c in move_cols)}
          FROM account_move m, bench_map bm
         WHERE m.id = %s
        """,
        [invoice.id],
    )
    line_special = {
        "move_id": "bm.id",
        "move_name": "'BENCH/' || bm.n",
        "date_maturity": "CASE WHEN l.date_maturity IS NULL THEN NULL ELSE bm.due END",
    }
    line_cols = columns("account_move_line")
    cr.execute(
        f"""
        INSERT INTO account_move_line ({", ".join(line_cols)})
        SELECT {", ".join(line_special.get(c, "l." + c) for c in line_cols)}
          FROM account_move_line l, bench_map bm
         WHERE l.move_id = %s
        """,
        [invoice.id],
    )
    cr.execute("DROP TABLE bench_map")
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    env.invalidate_all()


def build(env, count):
    """The customer, its invoices, the Point of Sale and its open session."""
    from odoo import Command  # noqa: PLC0415
    from odoo.tests import new_test_user  # noqa: PLC0415

    env = env(context={"tracking_disable": True, "mail_notrack": True})
    company = env.company
    if not env["account.account"].search_count([("company_ids", "in", company.id)]):
        env["account.chart.template"].try_loading("generic_coa", company)
    company.account_use_credit_limit = True
    customer = env["res.partner"].create(
        {
            "name": "Big Customer",
            "is_company": True,
            "email": "big@example.com",
            "credit_limit": 100_000_000.0,
        }
    )
    today = date.today()
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": today - timedelta(days=120),
            "invoice_date_due": today - timedelta(days=90),
            "invoice_payment_term_id": False,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Goods", "quantity": 1, "price_unit": 100.0, "tax_ids": []}
                )
            ],
        }
    )
    invoice.action_post()
    clone_invoices(env, invoice, count)
    cashier = new_test_user(
        env,
        login="bench_cashier",
        name="Bench Cashier",
        groups="point_of_sale.group_pos_user,stock.group_stock_user",
    )
    cash_journal = env["account.journal"].search(
        [("type", "=", "cash"), ("company_id", "=", company.id)], limit=1
    ) or env["account.journal"].create(
        {"name": "Bench Cash", "type": "cash", "code": "BCSH"}
    )
    cash = env["pos.payment.method"].create(
        {"name": "Bench Cash", "journal_id": cash_journal.id}
    )
    account = env["pos.payment.method"].create(
        {"name": "Bench Customer Account", "split_transactions": True}
    )
    config = env["pos.config"].create(
        {
            "name": "Bench Counter",
            "payment_method_ids": [Command.set((cash | account).ids)],
        }
    )
    product = env["product.product"].create(
        {
            "name": "Bench Widget",
            "is_storable": True,
            "available_in_pos": True,
            "lst_price": 40.0,
            "taxes_id": [Command.clear()],
        }
    )
    config.with_user(cashier).open_ui()
    config.current_session_id.set_opening_control(0, None)
    context = {
        "customer": customer.id,
        "cashier": cashier.id,
        "config": config.id,
        "cash": cash.id,
        "account": account.id,
        "product": product.id,
    }
    for _ in range(20):
        sync(env, context, "account")
    env.cr.commit()
    return context


def order_data(env, ids, method):
    from odoo import Command, fields  # noqa: PLC0415

    config = env["pos.config"].browse(ids["config"])
    now = fields.Datetime.to_string(fields.Datetime.now())
    return {
        "amount_paid": 40.0,
        "amount_return": 0,
        "amount_tax": 0,
        "amount_total": 40.0,
        "date_order": now,
        "fiscal_position_id": False,
        "pricelist_id": config.pricelist_id.id,
        "name": "Bench order",
        "last_order_preparation_change": "{}",
        "lines": [
            Command.create(
                {
                    "product_id": ids["product"],
                    "qty": 1,
                    "price_unit": 40.0,
                    "price_subtotal": 40.0,
                    "price_subtotal_incl": 40.0,
                    "discount": 0,
                    "tax_ids": [],
                }
            )
        ],
        "partner_id": ids["customer"],
        "session_id": config.current_session_id.id,
        "payment_ids": [
            Command.create(
                {"amount": 40.0, "name": now, "payment_method_id": ids[method]}
            )
        ],
        "uuid": str(uuid4()),
        "user_id": ids["cashier"],
        "to_invoice": False,
        "state": "paid",
    }


def sync(env, ids, method):
    cashier = env["res.users"].browse(ids["cashier"])
    return (
        env["pos.order"].with_user(cashier).sync_from_ui([order_data(env, ids, method)])
    )


def measure(env, ids, repeat):
    cr = env.cr
    cashier = env["res.users"].browse(ids["cashier"])
    customer = env["res.partner"].with_user(cashier).browse(ids["customer"])
    customer.credit_pos_check(40.0, ids["config"])  # warm
    times, queries = [], []
    result = None
    for _ in range(repeat):
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        result = customer.credit_pos_check(40.0, ids["config"])
        times.append(time.perf_counter() - start)
        queries.append(cr.sql_log_count - before)
    # exposure queries run during a sale: none for cash
    Partner = type(env["res.partner"])
    original = Partner._credit_exposure_parts
    sales = {}
    for method in ("cash", "account", "cash", "account"):
        calls = []

        def counted(self, *args, _calls=calls, **kwargs):
            _calls.append(1)
            return original(self, *args, **kwargs)

        env.invalidate_all()
        before = cr.sql_log_count
        with patch.object(Partner, "_credit_exposure_parts", counted):
            start = time.perf_counter()
            sync(env, ids, method)
            elapsed = time.perf_counter() - start
        sales[method] = {
            "seconds": round(elapsed, 4),
            "queries": cr.sql_log_count - before,
            "exposure_queries": len(calls),
        }
    cr.rollback()
    return {
        "check": {
            "median_ms": round(statistics.median(times) * 1000, 2),
            "min_ms": round(min(times) * 1000, 2),
            "max_ms": round(max(times) * 1000, 2),
            "queries": statistics.median(queries),
            "repeat": repeat,
            "ok": result["ok"],
            "problems": result["problems"],
            "figures": {
                k: v for k, v in result["figures"].items() if k.endswith("_display")
            },
        },
        # the second of each (warm)
        "sync_cash_sale": sales["cash"],
        "sync_sale_on_account": sales["account"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--template", help="copy this database instead of installing")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    check_odoo()
    shell_lib("ensure_postgres")
    work = Path(tempfile.mkdtemp(prefix="credit_dunning_pos_bench_"))
    addons = bench_addons_path(work)
    logfile = str(work / "odoo.log")
    db = f"credit_dunning_bench_pos_{args.invoices}"
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    print(f"Building {db} ({args.invoices} open invoices)...", flush=True)
    start = time.perf_counter()
    if args.template:
        subprocess.run(["createdb", "-T", args.template, db], check=True)
        odoo_cli(db, addons, logfile, "-i", "credit_dunning_pos")
    else:
        odoo_cli(db, addons, logfile, "-i", "credit_dunning_pos")
    try:
        with odoo_env(db, addons, logfile) as env:
            ids = build(env, args.invoices)
        built = time.perf_counter() - start
        with odoo_env(db, addons, logfile) as env:
            open_count = env["account.move"].search_count(
                [
                    ("partner_id", "=", ids["customer"]),
                    ("state", "=", "posted"),
                    ("payment_state", "=", "not_paid"),
                ]
            )
            result = measure(env, ids, args.repeat)
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
    result = {
        "date": date.today().isoformat(),
        "commit": commit,
        "open_invoices": open_count,
        "build_seconds": round(built, 1),
        **result,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    check = result["check"]
    print(f"customer with {open_count} open invoices (+20 POS sales on account)")
    print(
        f"  credit_pos_check: median {check['median_ms']} ms, min {check['min_ms']} "
        f"ms, max {check['max_ms']} ms, {check['queries']} queries "
        f"({check['repeat']} calls; target < 100 ms)"
    )
    print(f"  answer: ok={check['ok']} {check['problems']}")
    for name in ("sync_cash_sale", "sync_sale_on_account"):
        sale = result[name]
        print(
            f"  {name}: {sale['seconds'] * 1000:.1f} ms, {sale['queries']} queries, "
            f"{sale['exposure_queries']} exposure queries"
        )
    print(f"written {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()

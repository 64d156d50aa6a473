"""The statutory payment-delay table (D.441-6) at scale.

    python3 benchmarks/payment_delay_table.py [--size 100000] [--seed 42]
                                              [--rebuild] [--repeat 5]
    python3 benchmarks/payment_delay_table.py --build DB ADDONS LOGFILE  (internal)
    python3 benchmarks/payment_delay_table.py --measure DB ADDONS LOGFILE (internal)

Builds once a database ``credit_dunning_bench_delay_<size>`` (credit_dunning
installed, no demo data) with --size invoices of the company: 60 % customer
invoices and 40 % vendor bills, 3 % of them credit notes, over the financial
year that closed last 31 December and the months after it, due 30, 45 or 60
days after their date, with a 20 % tax; 5 % left in draft; 60 % paid in full
before the closing (or when paid, for the later ones), 15 % partly before it,
15 % partly or fully after it, 10 % not at all (one reconciliation each,
against a payment line); 2 % of the customer invoices
disputed, and 1,000 disputes opened and resolved through the chatter (their
history is what the table reads). The template invoices are made through the
ORM, the others are copied from them in SQL (making 100,000 invoices through
the ORM takes most of an hour). Then, in a fresh process, a credit
controller computes the table at that closing (``action_compute()``,
--repeat times) and the script prints the seconds (the first and the median),
the queries, the figures, and PASS or FAIL against the 5 s target; it writes
``benchmarks/results/payment_delay_table_<size>.json``.
"""

import argparse
import datetime
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from odoo_env import REPO, addons_path, check_odoo, odoo_env, shell_lib  # noqa: E402

TARGET_SECONDS = 5
USER_LOGIN = "bench_collector"


def closing_date(today):
    return date(today.year - 1, 12, 31)


def columns(env, table):
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in env.cr.fetchall()]


def clone(env, table, rows_sql, template_join, overrides, params):
    """INSERT INTO ``table`` one row per row of ``rows_sql`` (alias u), every
    column copied from the template row (alias t) unless overridden (``id``
    too: from its sequence unless given)."""
    cols = columns(env, table)
    if "id" in overrides:
        cols = ["id", *cols]
    select = ", ".join(overrides.get(col, f"t.{col}") for col in cols)
    env.cr.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) "  # noqa: S608
        f"SELECT {select} FROM ({rows_sql}) u JOIN {table} t ON {template_join}",
        params,
    )


def build(db, addons, logfile, size, seed):
    start = time.time()

    def log(message):
        print(f"[{time.time() - start:7.1f}s] {message}", flush=True)

    rng = random.Random(seed)
    today = datetime.date.today()
    closing = closing_date(today)
    year_start = date(closing.year, 1, 1)
    with odoo_env(db, addons, logfile) as env:
        env = env(context=dict(env.context, tracking_disable=True))
        company = env.company
        env["res.users"].create(
            {
                "name": "Bench Collector",
                "login": USER_LOGIN,
                "group_ids": [
                    (4, env.ref("credit_dunning.group_credit_control_user").id)
                ],
            }
        )
        partners = env["res.partner"].create(
            [
                {"name": f"Customer {i}", "is_company": True, "customer_rank": 1}
                for i in range(size // 8)
            ]
            + [
                {"name": f"Vendor {i}", "is_company": True, "supplier_rank": 1}
                for i in range(size // 20)
            ]
        )
        customers = partners[: size // 8].ids
        vendors = partners[size // 8 :].ids
        taxes = {
            use: env["account.tax"].create(
                {"name": f"Bench VAT 20 % {use}", "amount": 20, "type_tax_use": use}
            )
            for use in ("sale", "purchase")
        }
        # one template per move type, posted through the ORM
        templates = {}
        for move_type, partner, use in (
            ("out_invoice", customers[0], "sale"),
            ("out_refund", customers[0], "sale"),
            ("in_invoice", vendors[0], "purchase"),
            ("in_refund", vendors[0], "purchase"),
        ):
            move = env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner,
                    "invoice_date": year_start,
                    "date": year_start,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": year_start,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Goods",
                                "quantity": 1,
                                "price_unit": 100.0,
                                "tax_ids": [(6, 0, taxes[use].ids)],
                            },
                        )
                    ],
                }
            )
            move.action_post()
            templates[move_type] = move
        # the counterpart of the reconciliations: a customer and a vendor
        # payment, whose receivable (payable) line is copied per payment
        payments = {}
        for move_type in ("out_invoice", "in_invoice"):
            payment = (
                env["account.payment.register"]
                .with_context(
                    active_model="account.move", active_ids=templates[move_type].ids
                )
                .create({"payment_date": year_start, "amount": 1.0})
                ._create_payments()
            )
            payments[move_type] = payment.move_id.line_ids.filtered(
                lambda line: (
                    line.account_id.account_type
                    in ("asset_receivable", "liability_payable")
                )
            )
        env.cr.commit()
        log("templates made")

        # the invoices, drawn in Python, copied in SQL
        kinds, states, dates, dues, amounts, partner_ids, disputed = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        settlements = []  # (index, share paid, date)
        span = (today - year_start).days
        for index in range(size):
            issued = rng.random() < 0.6
            refund = rng.random() < 0.03
            kind = ("out_" if issued else "in_") + ("refund" if refund else "invoice")
            day = year_start + timedelta(days=rng.randint(0, span))
            due = day + timedelta(days=rng.choice([30, 45, 60]))
            kinds.append(kind)
            states.append("draft" if rng.random() < 0.05 else "posted")
            dates.append(day)
            dues.append(due)
            amounts.append(round(rng.uniform(50, 5000), 2))
            partner_ids.append(rng.choice(customers if issued else vendors))
            disputed.append(
                kind == "out_invoice" and states[-1] == "posted" and rng.random() < 0.02
            )
            if states[-1] != "posted" or refund:
                continue
            draw = rng.random()
            if draw < 0.60:
                paid = day + timedelta(days=rng.randint(0, 90))
                settlements.append((index, 1.0, min(paid, closing)))
            elif draw < 0.75:
                paid = day + timedelta(days=rng.randint(0, 60))
                settlements.append((index, rng.choice([0.3, 0.5]), min(paid, closing)))
            elif draw < 0.90:
                paid = max(day, closing) + timedelta(days=rng.randint(1, 60))
                settlements.append((index, rng.choice([0.5, 1.0]), paid))
        env.cr.execute(
            "SELECT nextval('account_move_id_seq') FROM generate_series(1, %s)",
            [size],
        )
        ids = [row[0] for row in env.cr.fetchall()]
        template_ids = [templates[kind].id for kind in kinds]
        sign = {"out_invoice": 1, "out_refund": -1, "in_invoice": -1, "in_refund": 1}
        rows_sql = """
            SELECT * FROM unnest(%(ids)s::int[], %(templates)s::int[],
                                 %(kinds)s::varchar[], %(states)s::varchar[],
                                 %(dates)s::date[], %(dues)s::date[],
                                 %(amounts)s::numeric[], %(partners)s::int[],
                                 %(signs)s::int[], %(disputed)s::bool[],
                                 %(names)s::varchar[])
                AS u(id, template_id, kind, state, day, due, amount, partner_id,
                     sign, disputed, name)
        """
        params = {
            "ids": ids,
            "templates": template_ids,
            "kinds": kinds,
            "states": states,
            "dates": dates,
            "dues": dues,
            "amounts": amounts,
            "partners": partner_ids,
            "signs": [sign[kind] for kind in kinds],
            "disputed": disputed,
            "names": [
                f"BENCH/{kind}/{index:07d}" if state == "posted" else "/"
                for index, (kind, state) in enumerate(zip(kinds, states, strict=True))
            ],
        }
        clone(
            env,
            "account_move",
            rows_sql,
            "t.id = u.template_id",
            {
                "id": "u.id",
                "name": "u.name",
                "state": "u.state",
                "date": "u.day",
                "invoice_date": "u.day",
                "invoice_date_due": "u.due",
                "partner_id": "u.partner_id",
                "commercial_partner_id": "u.partner_id",
                "amount_untaxed": "u.amount",
                "amount_tax": "ROUND(u.amount * 0.2, 2)",
                "amount_total": "ROUND(u.amount * 1.2, 2)",
                "amount_residual": "ROUND(u.amount * 1.2, 2)",
                "amount_untaxed_signed": "u.sign * u.amount",
                "amount_untaxed_in_currency_signed": "u.sign * u.amount",
                "amount_tax_signed": "u.sign * ROUND(u.amount * 0.2, 2)",
                "amount_total_signed": "u.sign * ROUND(u.amount * 1.2, 2)",
                "amount_total_in_currency_signed": "u.sign * ROUND(u.amount * 1.2, 2)",
                "amount_residual_signed": "u.sign * ROUND(u.amount * 1.2, 2)",
                "payment_state": "'not_paid'",
                "dunning_dispute": "u.disputed",
                "sequence_number": "NULL",
                "sequence_prefix": "NULL",
                "ref": "NULL",
                "payment_reference": "NULL",
            },
            params,
        )
        log(f"{size} moves inserted")
        # their lines: product, tax and receivable/payable, copied from the
        # template's with the amounts scaled (the template is 100 + 20 % VAT)
        clone(
            env,
            "account_move_line",
            rows_sql,
            "t.move_id = u.template_id",
            {
                "move_id": "u.id",
                "move_name": "u.name",
                "parent_state": "u.state",
                "date": "u.day",
                "invoice_date": "u.day",
                "date_maturity": "CASE WHEN t.display_type = 'payment_term' "
                "THEN u.due ELSE t.date_maturity END",
                "partner_id": "u.partner_id",
                # unpaid: the receivable (payable) line owes its balance
                "amount_residual": "CASE WHEN t.display_type = 'payment_term' "
                "THEN ROUND(t.balance * u.amount / 100, 2) ELSE 0 END",
                "amount_residual_currency": "CASE WHEN t.display_type = "
                "'payment_term' THEN ROUND(t.balance * u.amount / 100, 2) ELSE 0 END",
                **{
                    col: f"ROUND(t.{col} * u.amount / 100, 2)"
                    for col in (
                        "balance",
                        "debit",
                        "credit",
                        "amount_currency",
                        "price_unit",
                        "price_subtotal",
                        "price_total",
                        "tax_base_amount",
                    )
                },
                "reconciled": "FALSE",
                "full_reconcile_id": "NULL",
                "matching_number": "NULL",
            },
            params,
        )
        log("their lines inserted")
        # the reconciliations: one counterpart line and one partial each
        env.cr.execute(
            """
            SELECT u.index, l.id, l.balance
              FROM unnest(%s::int[], %s::int[]) AS u(index, move_id)
              JOIN account_move_line l
                ON l.move_id = u.move_id AND l.display_type = 'payment_term'
            """,
            [
                [s[0] for s in settlements],
                [ids[s[0]] for s in settlements],
            ],
        )
        lines = {
            index: (line_id, balance) for index, line_id, balance in env.cr.fetchall()
        }
        counter = {
            "out_invoice": payments["out_invoice"],
            "in_invoice": payments["in_invoice"],
        }
        for kind in ("out_invoice", "in_invoice"):
            chosen = [s for s in settlements if kinds[s[0]] == kind]
            if not chosen:
                continue
            env.cr.execute(
                "SELECT nextval('account_move_line_id_seq') "
                "FROM generate_series(1, %s)",
                [len(chosen)],
            )
            line_ids = [row[0] for row in env.cr.fetchall()]
            paid = [round(abs(float(lines[s[0]][1])) * s[1], 2) for s in chosen]
            pay_sign = -1 if kind == "out_invoice" else 1
            template_line = counter[kind]
            cols = columns(env, "account_move_line")
            overrides = {
                "balance": f"{pay_sign} * u.amount",
                "debit": "u.amount" if pay_sign > 0 else "0",
                "credit": "u.amount" if pay_sign < 0 else "0",
                "amount_currency": f"{pay_sign} * u.amount",
                "amount_residual": "0",
                "amount_residual_currency": "0",
                "date": "u.day",
                "reconciled": "TRUE",
                "full_reconcile_id": "NULL",
                "matching_number": "NULL",
            }
            select = ", ".join(overrides.get(col, f"t.{col}") for col in cols)
            env.cr.execute(
                f"INSERT INTO account_move_line (id, {', '.join(cols)}) "  # noqa: S608
                f"SELECT u.id, {select} "
                "FROM unnest(%s::int[], %s::numeric[], %s::date[]) "
                "AS u(id, amount, day) JOIN account_move_line t ON t.id = %s",
                [line_ids, paid, [s[2] for s in chosen], template_line.id],
            )
            invoice_lines = [lines[s[0]][0] for s in chosen]
            debit, credit = (
                (invoice_lines, line_ids)
                if kind == "out_invoice"
                else (line_ids, invoice_lines)
            )
            env.cr.execute(
                """
                INSERT INTO account_partial_reconcile
                       (debit_move_id, credit_move_id, debit_currency_id,
                        credit_currency_id, company_id, max_date, amount,
                        debit_amount_currency, credit_amount_currency,
                        create_uid, write_uid, create_date, write_date)
                SELECT u.debit, u.credit, %(currency)s, %(currency)s,
                       %(company)s, u.day, u.amount, u.amount, u.amount,
                       1, 1, now(), now()
                  FROM unnest(%(debit)s::int[], %(credit)s::int[],
                              %(amounts)s::numeric[], %(days)s::date[])
                    AS u(debit, credit, amount, day)
                """,
                {
                    "currency": company.currency_id.id,
                    "company": company.id,
                    "debit": debit,
                    "credit": credit,
                    "amounts": paid,
                    "days": [max(s[2], dates[s[0]]) for s in chosen],
                },
            )
            # what is left to pay today, as Odoo keeps it
            env.cr.execute(
                """
                UPDATE account_move_line l
                   SET amount_residual = l.balance - SIGN(l.balance) * u.amount,
                       amount_residual_currency
                           = l.balance - SIGN(l.balance) * u.amount,
                       reconciled = ROUND(ABS(l.balance) - u.amount, 2) = 0
                  FROM unnest(%s::int[], %s::numeric[]) AS u(id, amount)
                 WHERE l.id = u.id
                """,
                [invoice_lines, paid],
            )
        log(f"{len(settlements)} reconciliations inserted")
        env.cr.execute(
            """
            UPDATE account_move m
               SET amount_residual = ABS(s.residual),
                   amount_residual_signed = s.residual,
                   payment_state = CASE WHEN s.residual = 0 THEN 'paid'
                                        WHEN s.residual <> s.balance THEN 'partial'
                                        ELSE 'not_paid' END
              FROM (SELECT move_id, SUM(amount_residual) AS residual,
                           SUM(balance) AS balance
                      FROM account_move_line
                     WHERE display_type = 'payment_term' AND move_id = ANY(%s)
                     GROUP BY move_id) s
             WHERE m.id = s.move_id
            """,
            [ids],
        )
        env.cr.commit()
        # disputes through the chatter (tracking on): 500 opened, 500 opened
        # and resolved; the table reads their history
        env = env(context=dict(env.context, tracking_disable=False))
        open_ids = [
            ids[i]
            for i in range(size)
            if kinds[i] == "out_invoice" and states[i] == "posted" and not disputed[i]
        ]
        moves = env["account.move"].browse(open_ids[:1000])
        moves._dunning_set_dispute("Benchmark dispute")
        env.flush_all()
        env.cr.commit()
        moves[500:].action_dunning_resolve_dispute()
        env.flush_all()
        env.cr.commit()
        log("1,000 disputes through the chatter")
        env.cr.execute("SELECT COUNT(*) FROM account_move")
        log(f"done: {env.cr.fetchone()[0]} moves in the database")


def measure(db, addons, logfile, repeat):
    today = datetime.date.today()
    closing = closing_date(today)
    with odoo_env(db, addons, logfile) as env:
        user = env["res.users"].search([("login", "=", USER_LOGIN)])
        Table = env["credit.payment.delay.table"].with_user(user)
        table = Table.create({"date_closing": closing})
        seconds, queries = [], []
        for _run in range(repeat):
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            table.action_compute()
            env.flush_all()
            seconds.append(round(time.perf_counter() - start, 3))
            queries.append(env.cr.sql_log_count - before)
        env.cr.execute(
            "SELECT move_type, state, COUNT(*) FROM account_move "
            "WHERE name LIKE 'BENCH/%%' OR (state = 'draft' AND name = '/') "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        )
        moves = [list(row) for row in env.cr.fetchall()]
        env.cr.execute("SELECT COUNT(*) FROM account_partial_reconcile")
        partials = env.cr.fetchone()[0]
        figures = table.figures
        env.cr.rollback()
    print(
        json.dumps(
            {
                "closing": str(closing),
                "seconds": seconds,
                "queries": queries,
                "moves": moves,
                "partials": partials,
                "figures": figures,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build", nargs=3, metavar=("DB", "ADDONS", "LOGFILE"))
    parser.add_argument("--measure", nargs=3, metavar=("DB", "ADDONS", "LOGFILE"))
    args = parser.parse_args()
    if args.build:
        build(*args.build, args.size, args.seed)
        return
    if args.measure:
        measure(*args.measure, args.repeat)
        return
    check_odoo()
    shell_lib("ensure_postgres")
    from run import db_exists  # noqa: PLC0415

    work_dir = tempfile.mkdtemp(prefix="credit_dunning_bench_")
    addons = addons_path(work_dir)
    logfile = str(Path(work_dir, "odoo.log"))
    db = f"credit_dunning_bench_delay_{args.size}"
    if args.rebuild and db_exists(db):
        subprocess.run(["dropdb", db], check=True)
    if not db_exists(db):
        print(f"Building the database {db} (once)...", flush=True)
        start = time.time()
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
                __file__,
                "--build",
                db,
                addons,
                logfile,
                "--size",
                str(args.size),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
        subprocess.run(["vacuumdb", "--analyze", "--quiet", db], check=True)
        print(f"Built in {time.time() - start:.0f}s", flush=True)
    else:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                db,
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
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            db,
            addons,
            logfile,
            "--repeat",
            str(args.repeat),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    results = json.loads(out.strip().splitlines()[-1])
    seconds = results["seconds"]
    results.update(
        {
            "date": datetime.date.today().isoformat(),
            "commit": subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
            ).stdout.strip(),
            "size": args.size,
            "seed": args.seed,
            "first_seconds": seconds[0],
            "median_seconds": statistics.median(seconds),
            "target_seconds": TARGET_SECONDS,
            "pass": max(seconds) < TARGET_SECONDS,
        }
    )
    figures = results["figures"]
    print(
        f"{args.size} invoices ({results['moves']}), {results['partials']} "
        f"reconciliations; closing {results['closing']}"
    )
    for side in ("issued", "received"):
        values = figures[side]
        print(
            f"  {side}: counts {values['count']}, total "
            f"{values['amount']['total']:.2f} ({values['percent']['total']} % of "
            f"{values['base']:.2f}); excluded {values['excluded_count']} "
            f"({values['excluded_amount']:.2f})"
        )
    print(
        f"  compute: {', '.join(f'{s:.3f}' for s in seconds)} s, "
        f"queries {results['queries']}"
    )
    verdict = "PASS" if results["pass"] else "FAIL"
    print(
        f"{verdict}: the table in {statistics.median(seconds):.2f} s (median of "
        f"{len(seconds)}, first {seconds[0]:.2f} s) against {TARGET_SECONDS} s"
    )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"payment_delay_table_{args.size}.json").write_text(
        json.dumps(results, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()

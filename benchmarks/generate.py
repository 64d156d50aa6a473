"""Deterministic benchmark data, built once into a template database.

    python3 benchmarks/generate.py --db DB --addons PATH --size N [--seed 42]
    python3 benchmarks/generate.py --db DB --addons PATH --check

--size N: about N/8 customers (companies with a salesperson, 30 % with an
invoice contact), N posted customer invoices over the last year in three
currencies, 3 % credit notes, 8 % fully and 4 % partly paid, 2 % of N
confirmed orders not invoiced, credit limits on a third of the customers, and
the same three-email policy for credit_dunning and account_credit_control.
--check: three customers with 10, 1,000 and 10,000 open invoices and a
quotation each, for the order-confirmation benchmark.
"""

import argparse
import random
import time
from datetime import date, timedelta

from odoo_env import odoo_env

BATCH = 1000
LEVELS = [(5, "First reminder"), (15, "Second reminder"), (30, "Last reminder")]


START = time.time()


def log(message):
    print(f"[{time.time() - START:7.1f}s] {message}", flush=True)


def setup_company(env):
    company = env.ref("base.main_company")
    company.write(
        {
            "account_use_credit_limit": True,
            # orders of the dataset are confirmed as they come; blocking is
            # measured separately
            "credit_block_overdue": False,
            # what the letters and the reminders need (without them the
            # reminders are held, not sent): an address, a sender email
            "street": "1 Benchmark Street",
            "zip": "75001",
            "city": "Paris",
            "email": "credit@bench.example.com",
        }
    )
    if not company.partner_id.bank_ids:
        env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": company.partner_id.id,
            }
        )
    if "invoice_unpaid_margin" in company._fields:
        # account_financial_risk counts an invoice unpaid after the same
        # tolerance as credit_dunning's "overdue" block
        company.invoice_unpaid_margin = company.credit_overdue_tolerance_days
    set_reference_rates(env, company)
    for code in ("EUR", "GBP"):
        currency = env.ref(f"base.{code}")
        currency.active = True
        if not currency.rate_ids:
            env["res.currency.rate"].create(
                {
                    "currency_id": currency.id,
                    "name": "2020-01-01",
                    "rate": 0.9 if code == "EUR" else 0.8,
                }
            )
    return company


def set_reference_rates(env, company):
    """The formal notice prints the late-payment interest of each invoice:
    the reference rate of every half-year since the oldest invoice must be
    known (the shipped rates stop at the last published one); the company's
    own rate, as a user going live would enter it."""
    if "credit.reference.rate" not in env:
        return
    Rate = env["credit.reference.rate"]
    today = date.today()
    for year in range(today.year - 2, today.year + 1):
        for month in (1, 7):
            start = date(year, month, 1)
            if start > today or Rate.search_count(
                [
                    ("date_from", "=", start),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", company.id),
                ]
            ):
                continue
            Rate.create({"company_id": company.id, "date_from": start, "rate": 2.15})


def setup_policies(env, company):
    """The same three emails for both sides, without PDF attachments."""
    Level = env["credit.dunning.level"]
    template = env.ref("credit_dunning.mail_template_dunning_reminder")
    ours = env["credit.dunning.policy"].create(
        {"name": "Benchmark: three emails", "company_id": company.id}
    )
    Level.create(
        [
            {
                "policy_id": ours.id,
                "name": name,
                "offset_days": days,
                "send_email": True,
                "attach_statement": False,
                "mail_template_id": template.id,
            }
            for days, name in LEVELS
        ]
    )
    company.credit_dunning_policy_id = ours
    if "credit.control.policy" not in env:
        return  # the cockpit's template: credit_dunning alone
    oca_template = env.ref("account_credit_control.email_template_credit_control_base")
    oca_template.report_template_ids = [(5, 0, 0)]
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.ids)]
    )
    oca = env["credit.control.policy"].create(
        {
            "name": "Benchmark: three emails",
            "company_id": company.id,
            "account_ids": [(6, 0, receivable.ids)],
            "level_ids": [
                (
                    0,
                    0,
                    {
                        "name": name,
                        "level": index + 1,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "email_template_id": oca_template.id,
                        "channel": "email",
                        "custom_text": name,
                        "custom_mail_text": f"<p>{name}</p>",
                    },
                )
                for index, (days, name) in enumerate(LEVELS)
            ],
        }
    )
    company.credit_policy_id = oca


def make_users(env, rng, count=10):
    group = env.ref("sales_team.group_sale_salesman")
    return env["res.users"].create(
        [
            {
                "name": f"Salesperson {i}",
                "login": f"bench_sales_{i}",
                "email": f"sales{i}@bench.example.com",
                "group_ids": [(6, 0, group.ids)],
            }
            for i in range(count)
        ]
    )


def make_customers(env, rng, count, users):
    customers = env["res.partner"]
    for start in range(0, count, BATCH):
        customers |= env["res.partner"].create(
            [
                {
                    "name": f"Customer {i:06d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "email": f"ap{i}@customer.example.com",
                    "user_id": rng.choice(users).id,
                    "ref": f"C{i:06d}",
                    "street": f"{i} Customer Road",
                    "zip": f"{10000 + i % 90000}",
                    "city": "Lyon",
                }
                for i in range(start, min(start + BATCH, count))
            ]
        )
    contacts = [c for c in customers if rng.random() < 0.3]
    for start in range(0, len(contacts), BATCH):
        env["res.partner"].create(
            [
                {
                    "name": f"Accounts payable {c.ref}",
                    "parent_id": c.id,
                    "type": "invoice",
                    "email": f"invoices.{c.ref.lower()}@customer.example.com",
                }
                for c in contacts[start : start + BATCH]
            ]
        )
    return customers


def make_invoices(
    env, rng, customers, count, today, move_type="out_invoice", fixed_customer=None
):
    currencies = (
        [env.company.currency_id] * 17
        + [env.ref("base.EUR")] * 2
        + [env.ref("base.GBP")]
    )
    product = env.ref("credit_dunning.product_late_interest")  # any service product
    moves = env["account.move"]
    for start in range(0, count, BATCH):
        vals = []
        for _ in range(start, min(start + BATCH, count)):
            invoice_date = today - timedelta(days=rng.randint(0, 365))
            vals.append(
                {
                    "move_type": move_type,
                    "partner_id": (fixed_customer or rng.choice(customers)).id,
                    "invoice_date": invoice_date,
                    "date": invoice_date,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": invoice_date + timedelta(days=30),
                    "currency_id": rng.choice(currencies).id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "name": "Services",
                                "quantity": rng.randint(1, 5),
                                "price_unit": round(rng.uniform(50, 2000), 2),
                                "tax_ids": [(5, 0, 0)],
                            },
                        )
                        for _line in range(rng.randint(1, 3))
                    ],
                }
            )
        batch = env["account.move"].create(vals)
        batch.action_post()
        moves |= batch
        env.cr.commit()
        env.invalidate_all()
        log(f"{len(moves)} {move_type} posted")
    return moves


def pay(env, rng, invoices, today):
    """Full and partial customer payments, posted and reconciled in batches.

    One account.payment per invoice in the invoice's currency, posted
    together, then each payment's receivable line reconciled with its
    invoice's (what the payment wizard does, without its per-invoice round
    trips, which made the 100,000-invoice template take most of an hour).
    """
    full = [inv for inv in invoices if rng.random() < 0.08]
    full_ids = {inv.id for inv in full}
    partial = [
        inv for inv in invoices if inv.id not in full_ids and rng.random() < 0.04
    ]
    plan = [(inv.id, None) for inv in full] + [
        (inv.id, rng.uniform(0.2, 0.8)) for inv in partial
    ]
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
    )
    for start in range(0, len(plan), 500):
        chunk = plan[start : start + 500]
        moves = env["account.move"].browse([move_id for move_id, _ratio in chunk])
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": move.commercial_partner_id.id,
                    "journal_id": journal.id,
                    "currency_id": move.currency_id.id,
                    "amount": (
                        move.amount_residual
                        if ratio is None
                        else round(move.amount_residual * ratio, 2)
                    ),
                    "date": today,
                    "memo": move.name,
                }
                for move, (_id, ratio) in zip(moves, chunk, strict=True)
            ]
        )
        payments.action_post()
        env["account.move.line"]._reconcile_plan(
            [
                (move.line_ids | payment.move_id.line_ids).filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                )
                for move, payment in zip(moves, payments, strict=True)
            ]
        )
        env.cr.commit()
        env.invalidate_all()
    log(f"{len(full)} invoices fully and {len(partial)} partly paid")


def make_orders(env, rng, customers, count):
    product = env.ref("credit_dunning.product_late_interest")
    for start in range(0, count, BATCH):
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": rng.choice(customers).id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": round(rng.uniform(100, 5000), 2),
                                "tax_ids": [(5, 0, 0)],
                            },
                        )
                    ],
                }
                for _ in range(start, min(start + BATCH, count))
            ]
        )
        orders.with_context(bypass_risk=True).action_confirm()
        env.cr.commit()
    log(f"{count} confirmed orders not invoiced")


def set_limits(env, rng, customers):
    by_limit = {}
    for customer in customers:
        if rng.random() < 0.33:
            limit = rng.choice([1000, 5000, 10000, 50000])
            by_limit.setdefault(limit, []).append(customer.id)
    for limit, ids in by_limit.items():
        env["res.partner"].browse(ids).credit_limit = limit
    set_peer_risk(env, customers)
    env.cr.commit()
    log("credit limits set")


def set_peer_risk(env, customers, unpaid_limit=0.0):
    """account_financial_risk counts in a customer's risk only what its
    flags include (none by default: no customer is ever over its limit).
    Included here is what credit_dunning's exposure counts: the open
    receivable, due or not, the draft invoices and the confirmed orders not
    invoiced (sale_financial_risk). ``unpaid_limit``: a limit on the overdue
    amount, which blocks an order as credit_dunning's "block when overdue"."""
    if "risk_invoice_open_include" not in customers._fields:
        return
    values = {
        "risk_invoice_draft_include": True,
        "risk_invoice_open_include": True,
        "risk_invoice_unpaid_include": True,
        "risk_sale_order_include": True,
    }
    if unpaid_limit:
        values["risk_invoice_unpaid_limit"] = unpaid_limit
    customers.write(values)


def generate(env, size, seed):
    rng = random.Random(seed)
    today = date.today()
    # the data, not its chatter: no creation messages nor tracking values
    env = env(context=dict(env.context, tracking_disable=True))
    company = setup_company(env)
    setup_policies(env, company)
    users = make_users(env, rng)
    customers = make_customers(env, rng, max(size // 8, 10), users)
    env.cr.commit()
    log(f"{len(customers)} customers")
    invoices = make_invoices(env, rng, customers, size, today)
    make_invoices(env, rng, customers, max(size * 3 // 100, 1), today, "out_refund")
    pay(env, rng, invoices, today)
    make_orders(env, rng, customers, max(size * 2 // 100, 1))
    set_limits(env, rng, customers)
    take_snapshots(env)


def take_snapshots(env):
    """What the daily cron would have recorded: today's receivables and the
    last 12 month-ends, from the ledger (the cockpit's trend)."""
    if "credit.dunning.snapshot" not in env:
        return
    env["credit.dunning.snapshot"]._take_snapshots()
    env.cr.commit()
    log("receivables snapshots taken")


def generate_check(env, seed):
    rng = random.Random(seed)
    today = date.today()
    company = setup_company(env)
    users = make_users(env, rng, 1)
    for count in (10, 1000, 10000):
        customer = env["res.partner"].create(
            {
                "name": f"Check {count}",
                "is_company": True,
                "customer_rank": 1,
                "user_id": users.id,
            }
        )
        make_invoices(env, rng, customer, count, today, fixed_customer=customer)
        customer.credit_limit = 100_000_000
        # the peer blocks on an overdue amount through a limit on it
        set_peer_risk(env, customer, unpaid_limit=0.01)
        env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": f"check-{count}",
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": env.ref(
                                "credit_dunning.product_late_interest"
                            ).id,
                            "product_uom_qty": 1,
                            "price_unit": 100,
                            "tax_ids": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
        env.cr.commit()
    company.credit_block_overdue = True
    env.cr.commit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons", required=True)
    parser.add_argument("--logfile", required=True)
    parser.add_argument("--size", type=int)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with odoo_env(args.db, args.addons, args.logfile) as env:
        if args.check:
            generate_check(env, args.seed)
        else:
            generate(env, args.size, args.seed)
        env.cr.commit()
    log("done")


if __name__ == "__main__":
    main()

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, format_date

from ..credit_control.rights import check_credit_rights, has_credit_rights
from . import figures
from .credit_aged_receivable import BUCKET_AMOUNT_FIELDS, BUCKETS
from .credit_dunning_snapshot import TREND_MONTHS

FORECAST_DAYS = (7, 30, 60)
WORKLIST_LIMIT = 50
OPEN_PAYMENT_STATES = ("not_paid", "partial")


class CreditCockpit(models.AbstractModel):
    """The data of the credit controller's landing page (the client action
    of static/src/cockpit): figures, aging, cash forecast, trend, and the
    worklist. Every figure is summed by SQL in a fixed number of queries,
    whatever the number of invoices, in the currency of the first selected
    company (the others' amounts converted at today's rate)."""

    _name = "credit.cockpit"
    _description = "Credit Control Cockpit"

    # ------------------------------------------------------------------
    # Entry points (orm.call from the client)
    # ------------------------------------------------------------------
    @api.model
    def get_cockpit_data(self, company_ids=None):
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can read the credit cockpit."),
        )
        companies = self._cockpit_companies(company_ids)
        today = fields.Date.context_today(self)
        currency = companies[:1].currency_id
        factors = self._cockpit_factors(companies, currency, today)
        aged = self._cockpit_aged(companies, factors, today)
        movements = self._cockpit_movements(companies, factors, today)
        counts = self._cockpit_counts(companies, factors, today)
        ctx = _Context(self, companies, today)
        totals = aged["totals"]
        receivable = totals["total"]
        overdue = totals["overdue"]
        not_due = totals["not_due"]
        sales_90 = figures.sales_in_window(movements["sales_by_day"], today)
        dso = figures.dso_countback(receivable, movements["sales_by_day"], today)
        best = figures.best_dso(not_due, sales_90)
        opening = receivable - movements["cei_movement"]
        cei = figures.cei(opening, movements["cei_sales"], receivable, not_due)
        return {
            "date": fields.Date.to_string(today),
            "currency": {
                "id": currency.id,
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "figures": self._cockpit_figures(
                ctx,
                currency,
                {
                    "receivable": receivable,
                    "overdue": overdue,
                    "overdue_percent": overdue / receivable * 100.0
                    if receivable
                    else None,
                    "dso": dso,
                    "best_dso": best,
                    "add": figures.difference(dso, best),
                    "cei": cei,
                    "sales_90": sales_90,
                    **counts,
                },
            ),
            "aging": {
                "buckets": [
                    {
                        "key": key,
                        "label": label,
                        "amount": totals[key],
                        "action": ctx.aged(label, [("bucket", "=", key)]),
                    }
                    for key, label in self._bucket_labels()
                ],
                "customers": [
                    {
                        "partner_id": row["partner_id"],
                        "name": row["name"],
                        "amounts": [row[key] for key, _label in BUCKETS],
                        "total": row["total"],
                        "action": ctx.aged(
                            row["name"], [("partner_id", "=", row["partner_id"])]
                        ),
                    }
                    for row in aged["customers"]
                ],
            },
            "forecast": [
                *(
                    {
                        "key": str(days),
                        "label": self.env._("Next %s days", days),
                        "amount": totals[f"forecast_{days}"],
                        "action": ctx.aged(
                            self.env._("Expected in the next %s days", days),
                            [
                                ("expected_date", ">=", fields.Date.to_string(today)),
                                (
                                    "expected_date",
                                    "<=",
                                    fields.Date.to_string(today + timedelta(days=days)),
                                ),
                            ],
                        ),
                    }
                    for days in FORECAST_DAYS
                ),
                {
                    # their customer's usual delay is over: no date to expect
                    "key": "late",
                    "label": self.env._("Later than usual, date unknown"),
                    "amount": totals["forecast_late"],
                    "action": ctx.aged(
                        self.env._("Later than the customer's usual delay"),
                        [("expected_date", "<", fields.Date.to_string(today))],
                    ),
                },
            ],
            "trend": self._cockpit_trend(companies, factors, today, dso, overdue),
            "alerts": self._cockpit_alerts(companies, today),
        }

    @api.model
    def _cockpit_alerts(self, companies, today):
        """What stops the ladder short and only a person can fix: the
        reference rates missing for half-years with late open invoices."""
        return [
            {
                "key": f"rate_missing_{company.id}",
                "message": message,
                "action": "credit_dunning.credit_reference_rate_action",
            }
            for company in companies
            for message in [company._credit_missing_rate_message(today)]
            if message
        ]

    @api.model
    def get_worklist(self, scope="mine"):
        user = self.env.user
        if scope not in ("mine", "all"):
            raise UserError(self.env._("The worklist scope is “mine” or “all”."))
        credit = has_credit_rights(self.env)
        manager = has_credit_rights(self.env, manager=True)
        if user.share or not (
            credit or user.has_group("sales_team.group_sale_salesman")
        ):
            raise AccessError(
                self.env._(
                    "The credit worklist is for credit controllers and salespeople."
                )
            )
        if scope == "all" and not manager:
            raise AccessError(
                self.env._("Only a credit manager can see the worklist of everyone.")
            )
        worklist = _Worklist(self, scope, credit, manager)
        return {
            "scope": scope,
            "can_see_all": manager,
            "sections": worklist.sections(),
        }

    # ------------------------------------------------------------------
    # Companies and currencies
    # ------------------------------------------------------------------
    @api.model
    def _cockpit_companies(self, company_ids):
        if not company_ids:
            return self.env.companies
        allowed = self.env.user.company_ids
        companies = self.env["res.company"].browse([int(cid) for cid in company_ids])
        if companies - allowed:
            raise AccessError(
                self.env._(
                    "You may not read the figures of %s.",
                    ", ".join((companies - allowed).sudo().mapped("name")),
                )
            )
        return companies

    @api.model
    def _cockpit_factors(self, companies, currency, today):
        """{company id: factor} converting the company's currency into
        ``currency`` at today's rate (one query)."""
        rates = (companies.currency_id | currency)._get_rates(companies[:1], today)
        return {
            company.id: float(rates[currency.id]) / float(rates[company.currency_id.id])
            if company.currency_id != currency
            else 1.0
            for company in companies
        }

    @api.model
    def _factors_sql(self, factors):
        return SQL(
            "(VALUES %s) AS rate(company_id, factor)",
            SQL(", ").join(
                SQL("(%s, %s::numeric)", cid, factor) for cid, factor in factors.items()
            ),
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _bucket_labels(self):
        labels = dict(
            self.env["credit.aged.receivable"]
            ._fields["bucket"]
            ._description_selection(self.env)
        )
        return [(key, labels[key]) for key, _label in BUCKETS]

    @api.model
    def _cockpit_aged(self, companies, factors, today):
        """Bucket totals, the cash forecast and the 10 customers with the
        most overdue, from the aged receivables (one query)."""
        self._flush_receivables()
        amounts = [*BUCKET_AMOUNT_FIELDS.items(), ("overdue", "amount_overdue")]
        amounts.append(("total", "amount_residual"))
        sums = [
            SQL(
                "SUM(a.%s * rate.factor) AS %s",
                SQL.identifier(column),
                SQL.identifier(key),
            )
            for key, column in amounts
        ] + [
            SQL(
                "SUM(CASE WHEN a.expected_date BETWEEN %s AND %s "
                "THEN a.amount_residual ELSE 0 END * rate.factor) AS %s",
                today,
                today + timedelta(days=days),
                SQL.identifier(f"forecast_{days}"),
            )
            for days in FORECAST_DAYS
        ]
        sums.append(
            SQL(
                "SUM(CASE WHEN a.expected_date < %s THEN a.amount_residual "
                "ELSE 0 END * rate.factor) AS forecast_late",
                today,
            )
        )
        keys = [key for key, _column in amounts] + [
            *(f"forecast_{days}" for days in FORECAST_DAYS),
            "forecast_late",
        ]
        columns = SQL(", ").join(SQL.identifier(key) for key in keys)
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH per_partner AS (
                    SELECT a.partner_id, %(sums)s
                      FROM (%(aged)s) a
                      JOIN %(rates)s ON rate.company_id = a.company_id
                     GROUP BY a.partner_id
                )
                SELECT 'total' AS kind, NULL::int AS partner_id,
                       NULL::varchar AS name, %(totals)s
                  FROM per_partner
                UNION ALL
                (SELECT 'customer', pp.partner_id, p.name, %(columns)s
                   FROM per_partner pp
                   JOIN res_partner p ON p.id = pp.partner_id
                  WHERE pp.overdue > 0
                  ORDER BY pp.overdue DESC, pp.partner_id
                  LIMIT 10)
                """,
                sums=SQL(", ").join(sums),
                aged=self.env["credit.aged.receivable"]._aged_query(
                    today, companies.ids
                ),
                rates=self._factors_sql(factors),
                totals=SQL(", ").join(
                    SQL(
                        "COALESCE(SUM(%s), 0) AS %s",
                        SQL.identifier(k),
                        SQL.identifier(k),
                    )
                    for k in keys
                ),
                columns=columns,
            )
        )
        result = {"totals": dict.fromkeys(keys, 0.0), "customers": []}
        for row in rows:
            values = {key: float(row[key] or 0.0) for key in keys}
            if row["kind"] == "total":
                result["totals"] = values
            else:
                result["customers"].append(
                    {"partner_id": row["partner_id"], "name": row["name"], **values}
                )
        return result

    @api.model
    def _flush_receivables(self):
        for model, fnames in (
            (
                "account.move.line",
                [
                    "account_id",
                    "amount_residual",
                    "balance",
                    "company_id",
                    "date",
                    "date_maturity",
                    "move_id",
                    "parent_state",
                    "partner_id",
                    "reconciled",
                ],
            ),
            (
                "account.move",
                ["move_type", "invoice_user_id", "dunning_level_id", "dunning_dispute"],
            ),
            ("account.partial.reconcile", ["debit_move_id", "max_date", "amount"]),
            ("res.partner", ["commercial_partner_id", "user_id", "name"]),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _cockpit_movements(self, companies, factors, today):
        """The daily sales of the DSO window and the movements of the
        receivables over the CEI's last 30 days (one query). Sales are the
        receivable side of customer invoices and credit notes: taxes
        included, net of credit notes, in company currency converted."""
        cei_start = today - timedelta(days=figures.CEI_WINDOW - 1)
        since = min(cei_start, today - timedelta(days=figures.DSO_WINDOW - 1))
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.company_id, l.date,
                       COALESCE(SUM(l.balance) FILTER (
                           WHERE m.move_type IN ('out_invoice', 'out_refund')), 0),
                       SUM(l.balance)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.account_id = ANY(ARRAY(
                           SELECT id FROM account_account
                            WHERE account_type = 'asset_receivable'))
                   AND l.parent_state = 'posted'
                   AND l.company_id = ANY(%(companies)s)
                   AND l.date >= %(since)s
                 GROUP BY l.company_id, l.date
                """,
                companies=companies.ids,
                since=since,
            )
        )
        sales_by_day = defaultdict(float)
        cei_sales = cei_movement = 0.0
        for company_id, day, sales, movement in rows:
            factor = factors[company_id]
            sales, movement = float(sales) * factor, float(movement) * factor
            sales_by_day[day] += sales
            if day >= cei_start:
                # dated later than today included: they are in the balance
                cei_sales += sales
                cei_movement += movement
        return {
            "sales_by_day": dict(sales_by_day),
            "cei_sales": cei_sales,
            "cei_movement": cei_movement,
        }

    @api.model
    def _cockpit_counts(self, companies, factors, today):
        """Promises, disputes, flags, blocked orders and reminders (one
        query)."""
        for model, fnames in (
            ("credit.dunning.promise", ["state", "date", "amount", "company_id"]),
            (
                "account.move",
                ["dunning_dispute", "state", "move_type", "payment_state"],
            ),
            ("res.partner", ["credit_hold", "cash_only", "is_company", "parent_id"]),
            ("sale.order", ["credit_blocked", "state", "company_id"]),
            ("credit.dunning.communication", ["state", "company_id"]),
            (
                "credit.insolvency.proceeding",
                ["partner_id", "company_id", "judgment_date", "claim_state"],
            ),
        ):
            self.env[model].flush_model(fnames)
        week_start = today - timedelta(days=today.weekday())
        row = self.env.execute_query_dict(
            SQL(
                """
                SELECT
                  (SELECT COALESCE(SUM(pr.amount * rate.factor), 0)
                     FROM credit_dunning_promise pr
                     JOIN %(rates)s ON rate.company_id = pr.company_id
                    WHERE pr.state = 'open') AS promises_open,
                  (SELECT COALESCE(SUM(pr.amount * rate.factor), 0)
                     FROM credit_dunning_promise pr
                     JOIN %(rates)s ON rate.company_id = pr.company_id
                    WHERE pr.state = 'open'
                      AND pr.date BETWEEN %(week_start)s AND %(week_end)s)
                      AS promises_week,
                  (SELECT COALESCE(SUM(m.amount_residual_signed * rate.factor), 0)
                     FROM account_move m
                     JOIN %(rates)s ON rate.company_id = m.company_id
                    WHERE m.dunning_dispute
                      AND m.state = 'posted'
                      AND m.move_type = 'out_invoice'
                      AND m.payment_state IN %(open_states)s) AS disputed,
                  (SELECT COUNT(*) FROM res_partner p
                    WHERE p.credit_hold AND p.active
                      AND (p.is_company OR p.parent_id IS NULL)
                      AND (p.company_id IS NULL OR p.company_id = ANY(%(companies)s)))
                      AS on_hold,
                  (SELECT COUNT(*) FROM res_partner p
                    WHERE p.cash_only AND p.active
                      AND (p.is_company OR p.parent_id IS NULL)
                      AND (p.company_id IS NULL OR p.company_id = ANY(%(companies)s)))
                      AS cash_only,
                  (SELECT COUNT(*) FROM sale_order so
                    WHERE so.credit_blocked AND so.state IN ('draft', 'sent')
                      AND so.company_id = ANY(%(companies)s)) AS blocked_orders,
                  (SELECT COUNT(*) FROM credit_dunning_communication c
                    WHERE c.state IN ('failed', 'attention')
                      AND c.company_id = ANY(%(companies)s)) AS failed_reminders,
                  (SELECT COUNT(*) FROM credit_dunning_communication c
                    WHERE c.state = 'to_print'
                      AND c.company_id = ANY(%(companies)s)) AS letters_to_print,
                  (SELECT COUNT(DISTINCT ip.partner_id)
                     FROM credit_insolvency_proceeding ip
                    WHERE ip.company_id = ANY(%(companies)s)
                      AND ip.claim_state NOT IN %(claims_ended)s) AS proceedings_count,
                  (SELECT COALESCE(SUM(m.amount_residual_signed * rate.factor), 0)
                     FROM account_move m
                     JOIN %(rates)s ON rate.company_id = m.company_id
                    WHERE m.state = 'posted'
                      AND m.move_type IN ('out_invoice', 'out_refund')
                      AND m.payment_state IN %(open_states)s
                      AND EXISTS (
                          SELECT 1 FROM credit_insolvency_proceeding ip
                           WHERE ip.partner_id = m.commercial_partner_id
                             AND ip.company_id = m.company_id
                             AND m.invoice_date < ip.judgment_date
                             AND ip.claim_state NOT IN %(claims_ended)s
                      )) AS proceedings
                """,
                claims_ended=("paid", "written_off"),
                rates=self._factors_sql(factors),
                week_start=week_start,
                week_end=week_start + timedelta(days=6),
                open_states=OPEN_PAYMENT_STATES,
                companies=companies.ids,
            )
        )[0]
        return {
            key: float(value)
            if key in ("promises_open", "promises_week", "disputed", "proceedings")
            else int(value)
            for key, value in row.items()
        }

    @api.model
    def _cockpit_figures(self, ctx, currency, values):
        week_start = ctx.today - timedelta(days=ctx.today.weekday())
        rate_note = (
            self.env._(" Other companies' amounts converted at today's rate.")
            if len(ctx.companies) > 1
            else ""
        )
        overdue_domain = [("days_overdue", ">", 0)]
        sales_note = self.env._(
            "Sales of the last 90 days: %s.",
            format_amount(self.env, values["sales_90"], currency),
        )
        if not values["sales_90"] > 0:
            sales_note += " " + self.env._(
                "No sale in the 90 days: no days of sales to count (–)."
            )
        specs = [
            (
                "receivable",
                self.env._("Receivables"),
                "monetary",
                self.env._(
                    "Open customer receivables in company currency: invoices, less "
                    "open credit notes and payments not yet matched."
                )
                + rate_note,
                ctx.aged(self.env._("Receivables"), []),
            ),
            (
                "overdue",
                self.env._("Overdue"),
                "monetary",
                self.env._(
                    "Open receivables past their due date (credit notes and "
                    "unmatched payments count at their own date)."
                )
                + rate_note,
                ctx.aged(self.env._("Overdue Receivables"), overdue_domain),
            ),
            (
                "overdue_percent",
                self.env._("Overdue %"),
                "percent",
                self.env._("Overdue receivables / all receivables."),
                ctx.aged(self.env._("Overdue Receivables"), overdue_domain),
            ),
            (
                "dso",
                self.env._("DSO"),
                "days",
                self.env._(
                    "Days sales outstanding, countback method, last 90 days of "
                    "sales: from today's receivables, each day's invoiced sales "
                    "(net of credit notes, taxes included) are subtracted going "
                    "back from today until the balance is exhausted; the days "
                    "counted are the DSO. Beyond 90 days, at the average daily "
                    "sales of the 90 days."
                )
                + " "
                + sales_note,
                ctx.aged(self.env._("Receivables"), []),
            ),
            (
                "best_dso",
                self.env._("Best Possible DSO"),
                "days",
                self.env._(
                    "Receivables not yet due / sales of the last 90 days x 90 days."
                )
                + " "
                + sales_note,
                ctx.aged(
                    self.env._("Receivables Not Yet Due"), [("bucket", "=", "not_due")]
                ),
            ),
            (
                "add",
                self.env._("Average Days Delinquent"),
                "days",
                self.env._("DSO - best possible DSO: the days lost to late payment."),
                ctx.aged(self.env._("Overdue Receivables"), overdue_domain),
            ),
            (
                "cei",
                self.env._("Collection Effectiveness"),
                "percent",
                self.env._(
                    "Collection effectiveness index of the last 30 days (%(start)s "
                    "to %(end)s): (receivables 30 days ago + sales of the 30 days - "
                    "receivables now) / (receivables 30 days ago + sales of the 30 "
                    "days - receivables not yet due now) x 100: the share of what "
                    "could be collected that was. 100%% is perfect; – when there "
                    "was nothing to collect.",
                    start=format_date(
                        self.env,
                        ctx.today - timedelta(days=figures.CEI_WINDOW - 1),
                    ),
                    end=format_date(self.env, ctx.today),
                ),
                ctx.window(
                    self.env._("Customer Payments, Last 30 Days"),
                    "account.payment",
                    [
                        ("payment_type", "=", "inbound"),
                        ("partner_type", "=", "customer"),
                        ("state", "in", ("in_process", "paid")),
                        (
                            "date",
                            ">=",
                            fields.Date.to_string(
                                ctx.today - timedelta(days=figures.CEI_WINDOW - 1)
                            ),
                        ),
                        ctx.company_leaf(),
                    ],
                ),
            ),
            (
                "promises_open",
                self.env._("Open Promises"),
                "monetary",
                self.env._("Amount customers promised to pay and have not paid yet."),
                ctx.window(
                    self.env._("Open Payment Promises"),
                    "credit.dunning.promise",
                    [("state", "=", "open"), ctx.company_leaf()],
                ),
            ),
            (
                "promises_week",
                self.env._("Promised This Week"),
                "monetary",
                self.env._(
                    "Open promises with a promised date this week (%(start)s to "
                    "%(end)s).",
                    start=format_date(self.env, week_start),
                    end=format_date(self.env, week_start + timedelta(days=6)),
                ),
                ctx.window(
                    self.env._("Promised This Week"),
                    "credit.dunning.promise",
                    [
                        ("state", "=", "open"),
                        ("date", ">=", fields.Date.to_string(week_start)),
                        (
                            "date",
                            "<=",
                            fields.Date.to_string(week_start + timedelta(days=6)),
                        ),
                        ctx.company_leaf(),
                    ],
                ),
            ),
            (
                "disputed",
                self.env._("Disputed"),
                "monetary",
                self.env._(
                    "What disputed invoices still owe: out of the dunning ladder."
                ),
                ctx.window(
                    self.env._("Disputed Invoices"),
                    "account.move",
                    [
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("dunning_dispute", "=", True),
                        ("payment_state", "in", OPEN_PAYMENT_STATES),
                        ctx.company_leaf(),
                    ],
                    list_view="credit_dunning.account_move_dispute_view_list",
                ),
            ),
            (
                "on_hold",
                self.env._("On Hold"),
                "count",
                self.env._(
                    "Customers on credit hold: their new orders cannot be confirmed."
                ),
                ctx.customers(self.env._("Customers on Hold"), "credit_hold"),
            ),
            (
                "cash_only",
                self.env._("Cash Only"),
                "count",
                self.env._("Customers who must pay before delivery."),
                ctx.customers(self.env._("Cash-only Customers"), "cash_only"),
            ),
            (
                "blocked_orders",
                self.env._("Blocked Orders"),
                "count",
                self.env._("Quotations refused by credit control, awaiting approval."),
                ctx.window(
                    self.env._("Credit Blocked Orders"),
                    "sale.order",
                    [
                        ("credit_blocked", "=", True),
                        ("state", "in", ("draft", "sent")),
                        ctx.company_leaf(),
                    ],
                ),
            ),
            (
                "failed_reminders",
                self.env._("Failed Reminders"),
                "count",
                self.env._(
                    "Reminders that could not be sent (no email, bounced) or are "
                    "held for a missing setting."
                ),
                ctx.window(
                    self.env._("Failed Reminders"),
                    "credit.dunning.communication",
                    [("state", "in", ("failed", "attention")), ctx.company_leaf()],
                ),
            ),
            (
                "letters_to_print",
                self.env._("Letters to Print"),
                "count",
                self.env._("Reminders to print and post."),
                ctx.window(
                    self.env._("Letters to Print"),
                    "credit.dunning.communication",
                    [("state", "=", "to_print"), ctx.company_leaf()],
                ),
            ),
            self._cockpit_proceedings_figure(ctx, values),
        ]
        return [
            {
                "key": key,
                "label": label,
                "value": values[key],
                "kind": kind,
                "tooltip": tooltip,
                "action": action,
            }
            for key, label, kind, tooltip, action in specs
        ]

    @api.model
    def _cockpit_proceedings_figure(self, ctx, values):
        """Customers in insolvency proceedings: what is at stake, and the
        next claim to declare with its days left."""
        tooltip = self.env._(
            "Customers in insolvency proceedings (%(count)s): what their invoices "
            "dated before the opening judgment still owe. The ladder no longer "
            "reminds those invoices; the claim must be declared within two months "
            "of the BODACC publication.",
            count=values["proceedings_count"],
        )
        next_claim = (
            self.env["credit.insolvency.proceeding"]
            .sudo()
            .search(
                [("claim_state", "=", "to_declare"), ctx.company_leaf()],
                order="declare_deadline, id",
                limit=1,
            )
        )
        if next_claim:
            tooltip += " " + self.env._(
                "Next claim to declare: %(customer)s by %(date)s (%(days)s days left).",
                customer=next_claim.partner_id.name,
                date=format_date(self.env, next_claim.declare_deadline),
                days=(next_claim.declare_deadline - ctx.today).days,
            )
        return (
            "proceedings",
            self.env._("In Proceedings"),
            "monetary",
            tooltip,
            ctx.window(
                self.env._("Customers in Proceedings"),
                "credit.insolvency.proceeding",
                [
                    ("claim_state", "not in", ("paid", "written_off")),
                    ctx.company_leaf(),
                ],
            ),
        )

    # ------------------------------------------------------------------
    # Trend
    # ------------------------------------------------------------------
    @api.model
    def _cockpit_trend(self, companies, factors, today, dso, overdue):
        """12 points, oldest first: the last snapshot of each of the 11
        past months (computed from the ledger at the month-end when the
        cron has not taken it), then today's figures. Several companies:
        overdue summed, DSO weighted by the receivables. A month without any
        data (before the first invoice) or a DSO that cannot be computed
        (no sales in its 90 days) is None: a gap in the chart, not a 0."""
        Snapshot = self.env["credit.dunning.snapshot"].sudo()
        month_start = today.replace(day=1)
        first = fields.Date.subtract(month_start, months=TREND_MONTHS - 1)
        Snapshot.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (company_id, date_trunc('month', date))
                       company_id, date, receivable, overdue, dso
                  FROM credit_dunning_snapshot
                 WHERE company_id = ANY(%s) AND date >= %s AND date < %s
                 ORDER BY company_id, date_trunc('month', date), date DESC
                """,
                companies.ids,
                first,
                month_start,
            )
        )
        points = {}  # (company id, month start): (receivable, overdue, dso)
        for company_id, day, receivable, overdue_amount, day_dso in rows:
            points[company_id, day.replace(day=1)] = (
                float(receivable or 0.0),
                float(overdue_amount or 0.0),
                day_dso,
            )
        months = [
            fields.Date.subtract(month_start, months=back)
            for back in range(TREND_MONTHS - 1, 0, -1)
        ]
        missing = [
            (company.id, month)
            for company in companies
            for month in months
            if (company.id, month) not in points
        ]
        if missing:
            ledger = Snapshot._ledger_figures(
                sorted({cid for cid, _month in missing}),
                sorted({fields.Date.end_of(month, "month") for _cid, month in missing}),
            )
            for company_id, month in missing:
                values = ledger.get((company_id, fields.Date.end_of(month, "month")))
                if values:
                    points[company_id, month] = (
                        values["receivable"],
                        values["overdue"],
                        values["dso"],
                    )
        trend = []
        for month in months:
            # a month without data is a gap (None), not a zero
            known = [
                (points[company.id, month], factors[company.id])
                for company in companies
                if (company.id, month) in points
            ]
            overdue_sum = (
                sum(values[1] * factor for values, factor in known) if known else None
            )
            with_dso = [
                (values, factor) for values, factor in known if values[2] is not None
            ]
            receivable_sum = sum(values[0] * factor for values, factor in with_dso)
            weighted = sum(
                values[2] * values[0] * factor for values, factor in with_dso
            )
            if receivable_sum:
                month_dso = weighted / receivable_sum
            elif with_dso:
                month_dso = 0.0  # nothing owed: 0 days
            else:
                month_dso = None
            trend.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "label": format_date(self.env, month, date_format="MMM y"),
                    "dso": month_dso,
                    "overdue": overdue_sum,
                }
            )
        trend.append(
            {
                "month": month_start.strftime("%Y-%m"),
                "label": format_date(self.env, month_start, date_format="MMM y"),
                "dso": dso,
                "overdue": overdue,
            }
        )
        return trend


class _Context:
    """Builds the actions of the figures for the selected companies."""

    def __init__(self, cockpit, companies, today):
        self.env = cockpit.env
        self.companies = companies
        self.today = today

    def company_leaf(self):
        return ("company_id", "in", self.companies.ids)

    def _view(self, xmlid):
        return self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )

    def window(self, name, model, domain, list_view=None, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [
                [self._view(list_view) if list_view else False, "list"],
                [False, "form"],
            ],
            "domain": domain,
            "context": context or {},
            "target": "current",
            # a figure opens the records behind it, never the sample records
            # Odoo draws in an empty list or kanban with sample="1"
            "useSampleModel": False,
        }

    def aged(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "credit.aged.receivable",
            "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
            "domain": [self.company_leaf(), *domain],
            "context": {},
            "target": "current",
            "useSampleModel": False,
        }

    def customers(self, name, flag):
        return self.window(
            name,
            "res.partner",
            [
                (flag, "=", True),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
                "|",
                ("company_id", "=", False),
                self.company_leaf(),
            ],
            list_view="credit_dunning.res_partner_credit_view_list",
        )


class _Worklist:
    """The sections of the worklist of one user. Read as superuser after
    the rights check of get_worklist, restricted to the user's companies
    and, for "mine", to the user's part."""

    def __init__(self, cockpit, scope, credit, manager):
        self.cockpit = cockpit
        self.env = cockpit.env
        self.su = cockpit.env(su=True)
        self.user = cockpit.env.user
        self.scope = scope
        self.credit = credit
        self.manager = manager
        self.companies = cockpit.env.companies
        self.today = fields.Date.context_today(cockpit)
        currency = self.env.company.currency_id
        self.factors = cockpit._cockpit_factors(self.companies, currency, self.today)

    # --- who is "mine" -------------------------------------------------
    def mine(self, path):
        """Domain: the commercial entity at ``path`` is one of the user's
        customers: the user is its collector (or, without a collector, the
        credit manager who gets its tasks), or, for a salesperson, its
        salesperson. TRUE for the scope "all"."""
        if self.scope == "all":
            return Domain.TRUE
        prefix = f"{path}.commercial_partner_id" if path else "commercial_partner_id"
        if not self.credit:
            return Domain(f"{prefix}.user_id", "=", self.user.id)
        domain = Domain(f"{prefix}.credit_collector_id", "=", self.user.id)
        if self._is_fallback_collector():
            domain |= Domain(f"{prefix}.credit_collector_id", "=", False)
        return domain

    def _is_fallback_collector(self):
        Partner = self.su["res.partner"]
        managers = Partner._credit_managers(self.env.company)
        fallback = managers.filtered(lambda u: u.id != 1)[:1] or managers[:1]
        return fallback == self.user

    def _mine_ids(self, partners):
        """The commercial entities of ``partners`` that are the user's."""
        if self.scope == "all":
            return partners
        return partners.filtered_domain(self.mine(""))

    def company_leaf(self):
        return Domain("company_id", "in", self.companies.ids)

    # --- sections --------------------------------------------------------
    def sections(self):
        """The user's tasks (their open credit-control activities, one line
        each, one section per kind), then what to follow: records that wait
        without being anyone's task."""
        follow = [
            (
                "promises_due_today",
                self.env._("Promises Due"),
                self.promises_due,
                False,
            ),
            (
                "promises_broken",
                self.env._("Broken Promises"),
                self.promises_broken,
                False,
            ),
            ("disputes", self.env._("Disputes Waiting"), self.disputes, True),
            (
                "plans_requested",
                self.env._("Payment Plans Awaiting a Manager"),
                self.plans_requested,
                True,
            ),
            (
                "orders_to_approve",
                self.env._("Blocked Orders to Approve"),
                self.orders_to_approve,
                False,
            ),
            (
                "failed_reminders",
                self.env._("Failed Reminders"),
                self.failed_reminders,
                True,
            ),
            (
                "over_limit_today",
                self.env._("Over Their Limit Since Today"),
                self.over_limit_today,
                False,
            ),
            (
                "escalations_unanswered",
                self.env._("Escalations Unanswered by Salespeople"),
                self.escalations_unanswered,
                True,
            ),
        ]
        result = self.task_sections()
        for key, label, method, credit_only in follow:
            if credit_only and not self.credit:
                continue  # a salesperson cannot act on those
            count, lines = method()
            result.append(
                {
                    "key": key,
                    "label": label,
                    "group": "follow",
                    "count": count,
                    "lines": lines,
                }
            )
        return result

    # --- tasks: the user's activities --------------------------------------
    def _task_kinds(self):
        """(key, label) of the kinds of tasks, in the worklist's order."""
        return [
            ("calls", self.env._("Calls")),
            ("plans", self.env._("Payment Plans to Decide")),
            ("promises", self.env._("Promise Follow-ups")),
            ("disputes_todo", self.env._("Disputes to Answer")),
            ("escalations", self.env._("Escalations")),
            ("legal", self.env._("Legal Hand-offs")),
            ("claims_to_declare", self.env._("Claims to Declare")),
            ("blocked", self.env._("Blocked Orders and Deliveries")),
            ("reviews", self.env._("Credit Reviews Due")),
            ("reminders", self.env._("Reminder Tasks")),
            ("other", self.env._("Other Credit Tasks")),
        ]

    def _task_kind(self, activity, type_kinds):
        kind = type_kinds.get(activity.activity_type_id.id)
        if kind:
            return kind
        return {
            "credit.dunning.plan": "plans",
            "credit.dunning.promise": "promises",
            "account.move": "disputes_todo",
            "credit.dunning.communication": "reminders",
            "credit.dunning.policy": "reminders",
            "credit.insolvency.proceeding": "claims_to_declare",
            "credit.review": "reviews",
            "sale.order": "blocked",
            "stock.picking": "blocked",
        }.get(activity.res_model, "other")

    def _type_kinds(self):
        """{activity type id: kind} of the call and of this addon's types."""
        Data = self.env["ir.model.data"]
        kinds = {
            "mail.mail_activity_data_call": "calls",
            "credit_dunning.mail_activity_type_dunning_escalation": "escalations",
            "credit_dunning.mail_activity_type_dunning_legal": "legal",
            "credit_dunning.mail_activity_type_insolvency_declare": (
                "claims_to_declare"
            ),
            "credit_dunning.mail_activity_type_insolvency_retention": (
                "claims_to_declare"
            ),
            "credit_dunning.mail_activity_type_credit_blocked": "blocked",
            "credit_dunning.mail_activity_type_credit_review": "reviews",
        }
        result = {}
        for xmlid, kind in kinds.items():
            type_id = Data._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            if type_id:
                result[type_id] = kind
        return result

    def task_domain(self):
        """The open activities that belong to credit control, on records of
        the user's companies: any activity on this addon's records
        (reminders, plans, promises, proceedings, reviews, policies...), an
        activity of one of this addon's types wherever it is (a customer's
        credit review, a blocked order or delivery), an activity on a
        customer invoice (a dispute to answer); for "mine", assigned to the
        user."""
        su = self.su
        companies = self.companies.ids
        own_types = [
            type_id for type_id, kind in self._type_kinds().items() if kind != "calls"
        ]
        parts = []
        for name in sorted(su.registry.models):
            model = su[name]
            if (
                model._abstract
                or model._transient
                or "activity_ids" not in model._fields
            ):
                continue
            if name.startswith("credit."):
                records = Domain("res_model", "=", name)
            elif name == "account.move":
                records = Domain("res_model", "=", name)
            elif name in ("res.partner", "sale.order", "stock.picking"):
                records = Domain("res_model", "=", name) & Domain(
                    "activity_type_id", "in", own_types
                )
            else:
                continue
            company = Domain.TRUE
            if name == "account.move":
                company = Domain("move_type", "in", ("out_invoice", "out_refund"))
            if "company_id" in model._fields:
                company &= Domain("company_id", "in", [*companies, False])
            if not company.is_true():
                records &= Domain("res_id", "in", model._search(company))
            parts.append(records)
        domain = Domain.OR(parts) if parts else Domain.FALSE
        if self.scope == "mine":
            domain &= Domain("user_id", "=", self.user.id)
        return domain

    def task_sections(self):
        """One section per kind of task, one line per activity, earliest
        deadline first. Amounts and customers come from the records, read
        in one query per model."""
        Activity = self.su["mail.activity"]
        domain = self.task_domain()
        activities = Activity.search(domain, order="date_deadline, id")
        type_kinds = self._type_kinds()
        by_kind = defaultdict(list)
        for activity in activities:
            by_kind[self._task_kind(activity, type_kinds)].append(activity)
        records = {}
        ids_by_model = defaultdict(set)
        for activity in activities:
            ids_by_model[activity.res_model].add(activity.res_id)
        for model, ids in ids_by_model.items():
            for record in self.su[model].browse(list(ids)).exists():
                records[model, record.id] = record
        sections = []
        for key, label in self._task_kinds():
            kind_activities = by_kind.get(key, [])
            lines = [
                self._task_line(
                    activity, records.get((activity.res_model, activity.res_id))
                )
                for activity in kind_activities[:WORKLIST_LIMIT]
            ]
            sections.append(
                {
                    "key": key,
                    "label": label,
                    "group": "tasks",
                    "count": len(kind_activities),
                    "lines": lines,
                }
            )
        return sections

    def _task_line(self, activity, record):
        partner, amount, company = self._record_figures(record)
        note = record.display_name if record else ""
        if self.scope == "all":
            note = (
                f"{activity.user_id.name} · {note}" if note else activity.user_id.name
            )
        line = self._line(
            activity,
            activity.summary or activity.activity_type_id.name,
            partner,
            amount * self.factors.get(company.id, 1.0)
            if amount is not False
            else False,
            activity.date_deadline,
            note,
            opened=record,
        )
        line["late"] = bool(
            activity.date_deadline and activity.date_deadline < self.today
        )
        if not record:
            line["action"] = False
        return line

    def _record_figures(self, record):
        """(customer, amount or False, company) of the record of a task."""
        if not record:
            return None, False, self.env.company
        amount_field = {
            "credit.dunning.communication": "amount_overdue",
            "credit.insolvency.proceeding": "amount_at_stake",
            "credit.dunning.plan": "amount_total",
            "credit.dunning.promise": "amount",
            "account.move": "amount_residual_signed",
        }.get(record._name)
        amount = record[amount_field] if amount_field else False
        if record._name == "res.partner":
            partner = record.commercial_partner_id
        elif "commercial_partner_id" in record._fields:
            partner = record.commercial_partner_id
        elif "partner_id" in record._fields and record._fields["partner_id"].type == (
            "many2one"
        ):
            partner = record.partner_id.commercial_partner_id
        else:
            partner = None
        company = (
            record.company_id
            if "company_id" in record._fields and record.company_id
            else self.env.company
        )
        return partner, amount, company

    def escalations_unanswered(self):
        """The escalations of the user's customers that their salespeople
        let pass the deadline: the collector follows them up (their own
        tasks are in the sections above)."""
        comms = self.su["credit.dunning.communication"]._search(
            self.mine("partner_id") & self.company_leaf()
        )
        domain = [
            Domain(
                "activity_type_id",
                "=",
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "credit_dunning.mail_activity_type_dunning_escalation"
                ),
            ),
            Domain("res_model", "=", "credit.dunning.communication"),
            Domain("res_id", "in", comms),
            Domain("date_deadline", "<", self.today),
        ]
        if self.scope == "mine":
            domain.append(Domain("user_id", "!=", self.user.id))
        count, activities = self._search("mail.activity", domain, "date_deadline, id")
        records = self.su["credit.dunning.communication"].browse(
            activities.mapped("res_id")
        )
        by_id = {comm.id: comm for comm in records}
        lines = [
            self._line(
                activity,
                activity.summary or activity.activity_type_id.name,
                by_id[activity.res_id].partner_id,
                by_id[activity.res_id].amount_overdue
                * self.factors.get(by_id[activity.res_id].company_id.id, 1.0),
                activity.date_deadline,
                activity.user_id.name,
                opened=by_id[activity.res_id],
            )
            for activity in activities
        ]
        return count, lines

    def plans_requested(self):
        """Plans the user's customers asked for: a credit manager decides
        (the task is theirs), the collector knows it is pending."""
        domain = [
            Domain("state", "=", "requested"),
            self.company_leaf(),
            self.mine("partner_id"),
        ]
        if self.scope == "mine":
            # the one who has the task to decide sees it among the tasks
            domain.append(
                Domain("activity_ids", "not any", [("user_id", "=", self.user.id)])
            )
        count, plans = self._search("credit.dunning.plan", domain, "create_date, id")
        lines = [
            self._line(
                plan,
                plan.display_name,
                plan.partner_id.commercial_partner_id,
                plan.amount_total * self.factors.get(plan.company_id.id, 1.0),
                plan.create_date.date() if plan.create_date else False,
                ", ".join(plan.activity_ids.user_id.mapped("name")),
            )
            for plan in plans
        ]
        return count, lines

    def _search(self, model, domain, order):
        Model = self.su[model]
        domain = Domain.AND(domain)
        records = Model.search(domain, order=order, limit=WORKLIST_LIMIT)
        count = (
            len(records)
            if len(records) < WORKLIST_LIMIT
            else Model.search_count(domain)
        )
        return count, records

    def _open(self, record):
        return {
            "type": "ir.actions.act_window",
            "name": record.display_name,
            "res_model": record._name,
            "res_id": record.id,
            "views": [[False, "form"]],
            "target": "current",
        }

    def _line(self, record, label, partner, amount, date, note, opened=None):
        return {
            "id": f"{record._name},{record.id}",
            "label": label or "",
            "partner": partner.display_name if partner else "",
            "amount": amount if amount is not False else False,
            "date": fields.Date.to_string(date) if date else False,
            "note": note or "",
            "late": False,
            "action": self._open(opened or record),
        }

    def _promises(self, domain):
        count, promises = self._search(
            "credit.dunning.promise",
            [*domain, self.company_leaf(), self.mine("partner_id")],
            "date, id",
        )
        lines = [
            self._line(
                promise,
                promise.display_name,
                promise.partner_id,
                promise.amount * self.factors.get(promise.company_id.id, 1.0),
                promise.date,
                promise.note,
            )
            for promise in promises
        ]
        return count, lines

    def promises_due(self):
        return self._promises(
            [Domain("state", "=", "open"), Domain("date", "<=", self.today)]
        )

    def promises_broken(self):
        return self._promises(
            [
                Domain("state", "=", "broken"),
                Domain("move_ids.payment_state", "in", OPEN_PAYMENT_STATES),
            ]
        )

    def disputes(self):
        count, moves = self._search(
            "account.move",
            [
                Domain("move_type", "=", "out_invoice"),
                Domain("state", "=", "posted"),
                Domain("dunning_dispute", "=", True),
                Domain("payment_state", "in", OPEN_PAYMENT_STATES),
                self.company_leaf(),
                self.mine("partner_id"),
            ],
            "invoice_date_due, id",
        )
        lines = [
            self._line(
                move,
                move.name,
                move.commercial_partner_id,
                move.amount_residual_signed * self.factors.get(move.company_id.id, 1.0),
                move.invoice_date_due,
                move.dunning_dispute_reason,
            )
            for move in moves
        ]
        return count, lines

    def orders_to_approve(self):
        domain = [
            Domain("credit_blocked", "=", True),
            Domain("state", "in", ("draft", "sent")),
            self.company_leaf(),
        ]
        if self.scope == "mine" and not self.manager:
            if self.credit:
                domain.append(self.mine("partner_id"))
            else:
                domain.append(
                    Domain("user_id", "=", self.user.id) | self.mine("partner_id")
                )
        # a credit manager approves: every blocked order is theirs
        count, orders = self._search("sale.order", domain, "date_order, id")
        lines = [
            self._line(
                order,
                order.name,
                order.partner_id.commercial_partner_id,
                order.amount_total
                / (order.currency_rate or 1.0)
                * self.factors.get(order.company_id.id, 1.0),
                order.date_order.date() if order.date_order else False,
                (order.credit_block_reason or "").split("\n")[0],
            )
            for order in orders
        ]
        return count, lines

    def failed_reminders(self):
        count, comms = self._search(
            "credit.dunning.communication",
            [
                Domain("state", "in", ("failed", "attention")),
                self.company_leaf(),
                self.mine("partner_id"),
            ],
            "date, id",
        )
        states = dict(comms._fields["state"]._description_selection(self.env))
        lines = [
            self._line(
                comm,
                comm.name,
                comm.partner_id,
                comm.amount_overdue * self.factors.get(comm.company_id.id, 1.0),
                comm.date,
                comm.error or states.get(comm.state),
            )
            for comm in comms
        ]
        return count, lines

    def over_limit_today(self):
        """Customers over their limit now who were not at the last snapshot
        before today (all of them when there is none)."""
        Snapshot = self.su["credit.dunning.snapshot"]
        lines = []
        count = 0
        for company in self.companies:
            over = (
                self.su["res.partner"]
                .with_company(company)
                ._credit_over_limit_entities()
            )
            previous = Snapshot.search(
                [("company_id", "=", company.id), ("date", "<", self.today)],
                order="date desc",
                limit=1,
            )
            crossed = self._mine_ids(over - previous.over_limit_partner_ids)
            count += len(crossed)
            for partner in crossed[: max(WORKLIST_LIMIT - len(lines), 0)]:
                limit = partner.credit_limit
                lines.append(
                    self._line(
                        partner,
                        partner.display_name,
                        partner,
                        partner.credit_exposure * self.factors.get(company.id, 1.0),
                        self.today,
                        self.env._(
                            "Limit %(limit)s (%(company)s)",
                            limit=format_amount(self.env, limit, company.currency_id),
                            company=company.name,
                        ),
                    )
                )
        return count, lines

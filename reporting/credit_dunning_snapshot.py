import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.tools import SQL

from . import figures

_logger = logging.getLogger(__name__)
TREND_MONTHS = 12


class CreditDunningSnapshot(models.Model):
    """The receivables of a company at the end of a day: one row per company
    and day, written by the daily dunning cron. The trend of the cockpit
    reads the last row of each month. Past month-ends missing (a fresh
    install, a new company) are computed from the ledger as of that date."""

    _name = "credit.dunning.snapshot"
    _description = "Receivables Snapshot"
    _order = "date desc, company_id"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    receivable = fields.Monetary(string="Receivables", readonly=True)
    not_due = fields.Monetary(string="Not Yet Due", readonly=True)
    overdue = fields.Monetary(readonly=True)
    overdue_percent = fields.Float(
        string="Overdue (%)", readonly=True, aggregator="avg"
    )
    sales_90 = fields.Monetary(
        string="Sales of the Last 90 Days",
        readonly=True,
        help="Invoiced sales net of credit notes, taxes included.",
    )
    dso = fields.Float(
        string="DSO (days)",
        readonly=True,
        aggregator="avg",
        help="Days sales outstanding, countback method over the last 90 days "
        "of sales, day by day.",
    )
    best_dso = fields.Float(
        string="Best Possible DSO (days)",
        readonly=True,
        aggregator="avg",
        help="Receivables not yet due / sales of the last 90 days x 90.",
    )
    average_days_delinquent = fields.Float(
        readonly=True,
        aggregator="avg",
        help="DSO - best possible DSO.",
    )
    over_limit_partner_ids = fields.Many2many(
        "res.partner",
        "credit_dunning_snapshot_over_limit_rel",
        "snapshot_id",
        "partner_id",
        string="Customers Over Their Limit",
        readonly=True,
    )

    _company_date_uniq = models.Constraint(
        "UNIQUE(company_id, date)",
        "One snapshot per company and day.",
    )

    # ------------------------------------------------------------------
    # Taking the snapshots (daily cron)
    # ------------------------------------------------------------------
    @api.model
    def _take_snapshots(self, companies=None, today=None):
        """Write today's row of each company (again: a second call the same
        day updates it) and the rows of the last 12 month-ends still
        missing. Returns the snapshots written."""
        companies = companies or self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        today = today or fields.Date.context_today(self)
        month_ends = self._month_ends(today)
        existing = {
            (snap.company_id.id, snap.date)
            for snap in self.sudo().search(
                [("company_id", "in", companies.ids), ("date", "in", month_ends)]
            )
        }
        wanted = [(company.id, today) for company in companies] + [
            (company.id, day)
            for company in companies
            for day in month_ends
            if (company.id, day) not in existing
        ]
        ledger = self._ledger_figures(
            companies.ids, sorted({day for _company, day in wanted})
        )
        written = self.browse()
        for company_id, day in wanted:
            values = ledger.get((company_id, day))
            if values is None and day != today:
                continue  # nothing in the ledger yet: computed again later
            written |= self._upsert(company_id, day, values or self._empty_figures())
        for company in companies:
            over = (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                ._credit_over_limit_entities()
            )
            written.filtered(
                lambda s, c=company: s.company_id == c and s.date == today
            ).sudo().over_limit_partner_ids = [Command.set(over.ids)]
        return written

    @api.model
    def _month_ends(self, today, months=TREND_MONTHS):
        """The last days of the ``months`` months before today's."""
        first = today.replace(day=1)
        return [
            fields.Date.subtract(fields.Date.subtract(first, months=back), days=1)
            for back in range(months)
        ]

    @api.model
    def _empty_figures(self):
        return dict.fromkeys(
            (
                "receivable",
                "not_due",
                "overdue",
                "overdue_percent",
                "sales_90",
                "dso",
                "best_dso",
                "average_days_delinquent",
            ),
            0.0,
        )

    @api.model
    def _upsert(self, company_id, day, values):
        """One row per (company, day), safe against a concurrent run: the
        unique constraint decides, the last writer's figures stay."""
        columns = list(values)
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO credit_dunning_snapshot
                       (company_id, date, %(columns)s,
                        create_uid, create_date, write_uid, write_date)
                VALUES (%(company)s, %(date)s, %(values)s,
                        %(uid)s, NOW() AT TIME ZONE 'UTC',
                        %(uid)s, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (company_id, date) DO UPDATE
                   SET %(updates)s,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(col) for col in columns),
                values=SQL(", ").join(SQL("%s", values[col]) for col in columns),
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(col), SQL.identifier(col))
                    for col in columns
                ),
                company=company_id,
                date=day,
                uid=self.env.uid,
            )
        )
        snapshot = self.browse(rows[0][0])
        snapshot.invalidate_recordset()
        return snapshot

    # ------------------------------------------------------------------
    # The ledger as of a date
    # ------------------------------------------------------------------
    @api.model
    def _ledger_figures(self, company_ids, dates):
        """{(company id, date): figures} of the receivables as they stood at
        the end of each date, from the ledger: the posted receivable items
        dated on or before the date, less what was matched with them by
        reconciliations whose both sides are dated on or before it
        (account.partial.reconcile.max_date). In company currency. Two
        queries whatever the number of dates."""
        if not company_ids or not dates:
            return {}
        for model, fnames in (
            (
                "account.move.line",
                [
                    "account_id",
                    "balance",
                    "company_id",
                    "date",
                    "date_maturity",
                    "move_id",
                    "parent_state",
                ],
            ),
            ("account.move", ["move_type"]),
            (
                "account.partial.reconcile",
                ["amount", "credit_move_id", "debit_move_id", "max_date"],
            ),
        ):
            self.env[model].flush_model(fnames)
        receivable_accounts = SQL(
            "SELECT id FROM account_account WHERE account_type = 'asset_receivable'"
        )
        last = max(dates)
        positions = self.env.execute_query(
            SQL(
                """
                WITH dates AS (SELECT unnest(%(dates)s::date[]) AS d),
                items AS (
                    SELECT l.id, l.company_id, l.date, l.balance,
                           COALESCE(l.date_maturity, l.date) AS due
                      FROM account_move_line l
                     WHERE l.account_id = ANY(ARRAY(%(accounts)s))
                       AND l.parent_state = 'posted'
                       AND l.company_id = ANY(%(companies)s)
                       AND l.date <= %(last)s
                ),
                matched AS (
                    SELECT pr.debit_move_id AS item_id, pr.max_date,
                           -pr.amount AS amount
                      FROM account_partial_reconcile pr
                     WHERE pr.company_id = ANY(%(companies)s)
                       AND pr.max_date <= %(last)s
                    UNION ALL
                    SELECT pr.credit_move_id, pr.max_date, pr.amount
                      FROM account_partial_reconcile pr
                     WHERE pr.company_id = ANY(%(companies)s)
                       AND pr.max_date <= %(last)s
                ),
                matched_at AS (
                    SELECT dates.d, matched.item_id, SUM(matched.amount) AS amount
                      FROM dates
                      JOIN matched ON matched.max_date <= dates.d
                     GROUP BY dates.d, matched.item_id
                ),
                open_at AS (
                    SELECT dates.d, items.company_id, items.due,
                           items.balance + COALESCE(matched_at.amount, 0)
                               AS residual
                      FROM dates
                      JOIN items ON items.date <= dates.d
                      LEFT JOIN matched_at ON matched_at.d = dates.d
                                          AND matched_at.item_id = items.id
                )
                SELECT d, company_id,
                       COALESCE(SUM(residual), 0),
                       COALESCE(SUM(residual) FILTER (WHERE due >= d), 0),
                       COALESCE(SUM(residual) FILTER (WHERE due < d), 0)
                  FROM open_at
                 GROUP BY d, company_id
                """,
                dates=list(dates),
                accounts=receivable_accounts,
                companies=list(company_ids),
                last=last,
            )
        )
        sales = self.env.execute_query(
            SQL(
                """
                SELECT l.company_id, l.date, SUM(l.balance)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.account_id = ANY(ARRAY(%(accounts)s))
                   AND l.parent_state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND l.company_id = ANY(%(companies)s)
                   AND l.date > %(first)s
                   AND l.date <= %(last)s
                 GROUP BY l.company_id, l.date
                """,
                accounts=receivable_accounts,
                companies=list(company_ids),
                first=fields.Date.subtract(min(dates), days=figures.DSO_WINDOW),
                last=last,
            )
        )
        sales_by_day = defaultdict(dict)
        for company_id, day, amount in sales:
            sales_by_day[company_id][day] = float(amount)
        result = {}
        for day, company_id, receivable, not_due, overdue in positions:
            receivable, not_due, overdue = (
                float(receivable),
                float(not_due),
                float(overdue),
            )
            daily = sales_by_day[company_id]
            sales_90 = figures.sales_in_window(daily, day)
            dso = figures.dso_countback(receivable, daily, day)
            best = figures.best_dso(not_due, sales_90)
            result[company_id, day] = {
                "receivable": receivable,
                "not_due": not_due,
                "overdue": overdue,
                "overdue_percent": overdue / receivable * 100.0 if receivable else 0.0,
                "sales_90": sales_90,
                # unknown (no sales in the window): NULL, a gap in the trend
                "dso": dso,
                "best_dso": best,
                "average_days_delinquent": figures.difference(dso, best),
            }
        return result

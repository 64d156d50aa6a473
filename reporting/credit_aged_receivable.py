from odoo import api, fields, models
from odoo.tools import SQL

BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("90_plus", "Over 90 Days"),
]
# the measure column of each bucket, in bucket order
BUCKET_AMOUNT_FIELDS = {
    "not_due": "amount_not_due",
    "1_30": "amount_1_30",
    "31_60": "amount_31_60",
    "61_90": "amount_61_90",
    "90_plus": "amount_90_plus",
}


class CreditAgedReceivable(models.Model):
    """One row per open receivable journal item, in company currency, aged
    by its due date at the user's today. The SQL is built at each query
    (``_table_query``, like sale.report): today is the user's, not the
    database server's, and the buckets move with the calendar."""

    _name = "credit.aged.receivable"
    _description = "Aged Receivables"
    _auto = False
    _rec_name = "move_id"
    _order = "date_maturity, id"

    move_line_id = fields.Many2one("account.move.line", string="Journal Item")
    move_id = fields.Many2one("account.move", string="Entry")
    move_type = fields.Selection(
        selection=lambda self: (
            self.env["account.move"]
            ._fields["move_type"]
            ._description_selection(self.env)
        ),
        string="Type",
    )
    partner_id = fields.Many2one("res.partner", string="Customer")
    user_id = fields.Many2one("res.users", string="Salesperson")
    collector_id = fields.Many2one("res.users")
    company_id = fields.Many2one("res.company")
    currency_id = fields.Many2one("res.currency", string="Company Currency")
    dunning_level_id = fields.Many2one("credit.dunning.level")
    disputed = fields.Boolean()
    date = fields.Date()
    date_maturity = fields.Date(string="Due Date")
    days_overdue = fields.Integer(aggregator="max")
    bucket = fields.Selection(BUCKETS, string="Age")
    lateness_days = fields.Integer(
        string="Customer's Average Lateness",
        aggregator="max",
        help="Amount-weighted days between due date and full payment of the "
        "customer's invoices paid in the last 12 months (0 without any).",
    )
    expected_date = fields.Date(
        string="Expected Payment",
        help="Due date shifted by the customer's average lateness.",
    )
    amount_not_due = fields.Monetary(string="Not Due", currency_field="currency_id")
    amount_1_30 = fields.Monetary(string="1-30", currency_field="currency_id")
    amount_31_60 = fields.Monetary(string="31-60", currency_field="currency_id")
    amount_61_90 = fields.Monetary(string="61-90", currency_field="currency_id")
    amount_90_plus = fields.Monetary(string="Over 90", currency_field="currency_id")
    amount_overdue = fields.Monetary(string="Overdue", currency_field="currency_id")
    amount_residual = fields.Monetary(string="Total", currency_field="currency_id")

    _depends = {
        "account.move.line": [
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
        "account.move": [
            "move_type",
            "invoice_user_id",
            "dunning_level_id",
            "dunning_dispute",
        ],
        "account.partial.reconcile": ["debit_move_id", "max_date"],
        "res.partner": ["commercial_partner_id", "user_id", "credit_collector_id"],
        "res.company": ["currency_id"],
    }

    @property
    def _table_query(self):
        return self._aged_query(fields.Date.context_today(self))

    @api.model
    def _lateness_query(self, today, company_ids=None):
        """SQL: (partner_id, company_id, days) the average lateness of each
        customer (commercial entity) with each company: over its invoice
        items fully paid in the 12 months before ``today``, the days from
        the due date to the last reconciliation, weighted by the amounts,
        rounded to the day (half away from zero). Early payers get a
        negative lateness."""
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, l.company_id,
                   ROUND(SUM(l.balance * (rec.paid_date - l.date_maturity))
                         / SUM(l.balance))::int AS days
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN res_partner p ON p.id = l.partner_id
              JOIN LATERAL (
                   SELECT MAX(pr.max_date) AS paid_date
                     FROM account_partial_reconcile pr
                    WHERE pr.debit_move_id = l.id
                   ) rec ON TRUE
             WHERE l.account_id = ANY(ARRAY(
                       SELECT id FROM account_account
                        WHERE account_type = 'asset_receivable'))
               AND l.parent_state = 'posted'
               AND l.reconciled
               AND l.balance > 0
               AND m.move_type = 'out_invoice'
               AND l.date_maturity IS NOT NULL
               AND rec.paid_date > %(since)s
               AND rec.paid_date <= %(today)s
               AND %(companies)s
             GROUP BY p.commercial_partner_id, l.company_id
            """,
            since=fields.Date.subtract(today, months=12),
            today=today,
            companies=self._company_filter("l", company_ids),
        )

    @api.model
    def _company_filter(self, alias, company_ids):
        if company_ids is None:
            return SQL("TRUE")
        return SQL("%s.company_id = ANY(%s)", SQL.identifier(alias), list(company_ids))

    @api.model
    def _aged_query(self, today, company_ids=None):
        """The SQL of the report at ``today``: the open receivable items
        (posted, not fully reconciled, on a receivable account) with their
        residual in company currency; credit notes and payments not yet
        matched are negative, in the bucket of their own date. Restricted
        to ``company_ids`` when given (the record rules do it otherwise)."""
        due = SQL("COALESCE(l.date_maturity, l.date)")
        days = SQL("(%s - %s)", today, due)

        def amount_if(condition):
            return SQL(
                "CASE WHEN %s THEN l.amount_residual ELSE 0 END",
                SQL(condition, days=days),
            )

        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS move_line_id,
                   l.move_id,
                   m.move_type,
                   p.commercial_partner_id AS partner_id,
                   COALESCE(cp.user_id, m.invoice_user_id) AS user_id,
                   (cp.credit_collector_id->>(l.company_id::text))::int
                       AS collector_id,
                   l.company_id,
                   c.currency_id,
                   m.dunning_level_id,
                   COALESCE(m.dunning_dispute, FALSE) AS disputed,
                   l.date,
                   %(due)s AS date_maturity,
                   GREATEST(%(days)s, 0) AS days_overdue,
                   CASE WHEN %(days)s <= 0 THEN 'not_due'
                        WHEN %(days)s <= 30 THEN '1_30'
                        WHEN %(days)s <= 60 THEN '31_60'
                        WHEN %(days)s <= 90 THEN '61_90'
                        ELSE '90_plus' END AS bucket,
                   COALESCE(late.days, 0) AS lateness_days,
                   %(due)s + COALESCE(late.days, 0) AS expected_date,
                   %(not_due)s AS amount_not_due,
                   %(b1)s AS amount_1_30,
                   %(b2)s AS amount_31_60,
                   %(b3)s AS amount_61_90,
                   %(b4)s AS amount_90_plus,
                   %(overdue)s AS amount_overdue,
                   l.amount_residual
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
              LEFT JOIN (%(lateness)s) late
                     ON late.partner_id = p.commercial_partner_id
                    AND late.company_id = l.company_id
             WHERE %(open_receivable)s
               AND l.amount_residual <> 0
               AND %(companies)s
            """,
            due=due,
            days=days,
            not_due=amount_if("%(days)s <= 0"),
            b1=amount_if("%(days)s BETWEEN 1 AND 30"),
            b2=amount_if("%(days)s BETWEEN 31 AND 60"),
            b3=amount_if("%(days)s BETWEEN 61 AND 90"),
            b4=amount_if("%(days)s > 90"),
            overdue=amount_if("%(days)s > 0"),
            lateness=self._lateness_query(today, company_ids),
            companies=self._company_filter("l", company_ids),
            open_receivable=self.env["account.move.line"]._credit_open_receivable_sql(
                "l"
            ),
        )

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "views": [[False, "form"]],
            "res_id": self.move_id.id,
        }

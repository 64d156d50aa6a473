from odoo import api, fields, models
from odoo.tools import SQL, format_amount, format_date

from .penalties import MissingRateError, half_year_start, next_half_year_start


class ResCompany(models.Model):
    _inherit = "res.company"

    # Statutory late-payment penalties
    credit_penalty_rate_type = fields.Selection(
        [
            ("reference", "Central bank rate + margin"),
            ("contractual", "Contractual rate"),
        ],
        string="Late-Payment Interest",
        default="reference",
        required=True,
    )
    credit_penalty_margin = fields.Float(
        string="Margin (points)",
        default=10.0,
        help="Points added to the central bank rate: 10 in France, 8 at least "
        "under the EU late-payment directive.",
    )
    credit_contractual_rate = fields.Float(
        string="Contractual Rate (%)", digits=(16, 4)
    )
    credit_legal_interest_rate = fields.Float(
        string="Legal Interest Rate (%)",
        digits=(16, 4),
        help="French legal interest rate for professionals: a contractual rate "
        "may not be lower than three times this rate.",
    )
    credit_contractual_rate_warning = fields.Char(
        compute="_compute_credit_contractual_rate_warning"
    )
    credit_recovery_indemnity_applies = fields.Boolean(
        string="Recovery Indemnity Applies",
        default=True,
        help="French and EU law: a fixed indemnity for recovery costs is due "
        "for each invoice a business customer pays late. Turn off where the "
        "law does not provide it.",
    )
    credit_recovery_indemnity = fields.Float(
        string="Recovery Indemnity (EUR)",
        default=40.0,
        help="Fixed indemnity for recovery costs per late invoice of a business "
        "customer, in euros (Code de commerce D441-5).",
    )

    @api.depends(
        "credit_penalty_rate_type",
        "credit_contractual_rate",
        "credit_legal_interest_rate",
    )
    def _compute_credit_contractual_rate_warning(self):
        for company in self:
            floor = 3 * company.credit_legal_interest_rate
            company.credit_contractual_rate_warning = (
                self.env._(
                    "The contractual rate of %(rate)s %% is below the legal floor of "
                    "%(floor)s %% (three times the legal interest rate).",
                    rate=company.credit_contractual_rate,
                    floor=round(floor, 4),
                )
                if company.credit_penalty_rate_type == "contractual"
                and floor
                and company.credit_contractual_rate < floor
                else False
            )

    def _credit_penalty_rate_for(self):
        """callable(half-year start) -> annual rate in percent, for the
        penalty engine; raises MissingRateError for an unknown half-year."""
        self.ensure_one()
        if self.credit_penalty_rate_type == "contractual":
            rate = self.credit_contractual_rate
            return lambda _half_year: rate
        records = (
            self.env["credit.reference.rate"]
            .sudo()
            .search([("company_id", "in", [False, self.id])])
        )
        # the company's own rate of a half-year wins over the published one
        rates = {r.date_from: r.rate for r in records if not r.company_id}
        rates.update({r.date_from: r.rate for r in records if r.company_id})
        margin = self.credit_penalty_margin

        def rate_for(half_year):
            if half_year not in rates:
                raise MissingRateError(half_year)
            return rates[half_year] + margin

        return rate_for

    def _credit_missing_rate_half_years(self, today=None):
        """The half-years without a reference rate during which open customer
        invoices of the company are late, and the current one: [(half-year
        start, late invoices)], oldest first. Their penalties cannot be
        computed: formal notices and penalty invoices wait."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        self.env["account.move.line"].flush_model(
            ["company_id", "date_maturity", "amount_residual", "reconciled"]
        )
        self.env["account.move"].flush_model(["move_type", "state"])
        # the open late invoices, by the half-year of their due date
        rows = self.env.execute_query(
            SQL(
                """
                SELECT MIN(line.date_maturity), COUNT(DISTINCT line.move_id)
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                  JOIN account_account account ON account.id = line.account_id
                 WHERE line.company_id = %(company)s
                   AND account.account_type = 'asset_receivable'
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND NOT line.reconciled
                   AND line.amount_residual > 0
                   AND line.date_maturity < %(today)s
              GROUP BY EXTRACT(YEAR FROM line.date_maturity),
                       EXTRACT(MONTH FROM line.date_maturity) < 7
              ORDER BY 1
                """,
                company=self.id,
                today=today,
            )
        )
        rate_for = self._credit_penalty_rate_for()
        due_by_half_year = {half_year_start(due): count for due, count in rows}
        missing = []
        late = 0  # invoices due before or during the half-year, still open
        # the current half-year is always checked: its rate is needed soon
        start = min([half_year_start(today)] + list(due_by_half_year))
        while start <= today:
            late += due_by_half_year.get(start, 0)
            try:
                rate_for(start)
            except MissingRateError:
                missing.append((start, late))
            start = next_half_year_start(start)
        return missing

    def _credit_missing_rate_message(self, today=None, reference=False):
        """The sentence that tells a credit manager which rates to add, or
        False when none is missing (or the company applies a contractual
        rate, unless ``reference`` says it is about to use the reference)."""
        self.ensure_one()
        if not reference and self.credit_penalty_rate_type != "reference":
            return False
        missing = self._credit_missing_rate_half_years(today)
        if not missing:
            return False
        half_years = ", ".join(
            self.env._(
                "%(year)s H%(half)s (from %(date)s, %(count)s late invoice(s))",
                year=start.year,
                half=1 if start.month == 1 else 2,
                date=format_date(self.env, start),
                count=count,
            )
            if count
            else self.env._(
                "%(year)s H%(half)s (from %(date)s)",
                year=start.year,
                half=1 if start.month == 1 else 2,
                date=format_date(self.env, start),
            )
            for start, count in missing
        )
        return self.env._(
            "%(company)s: no reference rate for %(half_years)s. The formal notices "
            "and penalty invoices of those invoices wait until a credit manager "
            "adds the rate (Credit Control > Configuration > Reference Rates).",
            company=self.name,
            half_years=half_years,
        )

    def _credit_recovery_indemnity_company_currency(self, day):
        self.ensure_one()
        if not self.credit_recovery_indemnity_applies:
            return 0.0
        euro = self.env.ref("base.EUR")
        return euro._convert(
            self.credit_recovery_indemnity, self.currency_id, self, day
        )

    def _credit_indemnity_label(self, count, day):
        """The indemnity of ``count`` late invoices as the law states it, in
        euros, with its equivalent when the company keeps its books in
        another currency: "40.00 € ($ 46.80)"."""
        self.ensure_one()
        euro = self.env.ref("base.EUR")
        amount = count * self.credit_recovery_indemnity
        label = format_amount(self.env, amount, euro)
        if self.currency_id != euro:
            label = self.env._(
                "%(euros)s (%(equivalent)s)",
                euros=label,
                equivalent=format_amount(
                    self.env,
                    euro._convert(amount, self.currency_id, self, day),
                    self.currency_id,
                ),
            )
        return label

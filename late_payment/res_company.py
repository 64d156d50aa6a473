from odoo import api, fields, models
from odoo.tools import format_amount

from .penalties import MissingRateError


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

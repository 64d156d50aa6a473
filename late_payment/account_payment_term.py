import calendar
from datetime import date, timedelta

from odoo import api, fields, models

# French Code de commerce L441-10: at most 60 days from the invoice date, or
# 45 days end of month (read here as the later of "45 days, then end of
# month" and "end of month, then 45 days").
MAX_DAYS = 60
MAX_DAYS_END_OF_MONTH = 45


def _end_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def latest_lawful_due_date(invoice_date):
    return max(
        invoice_date + timedelta(days=MAX_DAYS),
        _end_of_month(invoice_date + timedelta(days=MAX_DAYS_END_OF_MONTH)),
        _end_of_month(invoice_date) + timedelta(days=MAX_DAYS_END_OF_MONTH),
    )


def _sample_dates():
    # first and last day of every month of a common and a leap year
    for year in (2025, 2028):
        for month in range(1, 13):
            yield date(year, month, 1)
            yield _end_of_month(date(year, month, 1))


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    credit_term_noncompliant = fields.Boolean(
        string="Over the B2B Legal Limit",
        compute="_compute_credit_term_noncompliant",
        store=True,
        help="Some due dates fall later than 60 days from the invoice date or 45 "
        "days end of month (French Code de commerce L441-10) for business "
        "customers.",
    )

    @api.depends("line_ids.nb_days", "line_ids.delay_type", "line_ids.days_next_month")
    def _compute_credit_term_noncompliant(self):
        for term in self:
            term.credit_term_noncompliant = any(
                line._get_due_date(day) > latest_lawful_due_date(day)
                for line in term.line_ids
                for day in _sample_dates()
            )

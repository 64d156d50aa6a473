"""Statutory late-payment interest, in plain Python (no ORM).

French Code de commerce L441-10: interest runs from the day after the due date
at the central-bank reference rate in force on 1 January (for the first
half-year) or 1 July (for the second) plus a margin (10 points in France,
8 points at least under the EU directive), or at a contractual rate.

Interest = amount due x annual rate x days late / 365, computed per period: a
period ends where the half-year changes or a payment lowers the amount due.
"""

from dataclasses import dataclass
from datetime import date, timedelta


class MissingRateError(ValueError):
    """No reference rate is known for a half-year the delay spans."""

    def __init__(self, half_year_start):
        super().__init__(half_year_start)
        self.half_year_start = half_year_start


@dataclass(frozen=True)
class InterestPeriod:
    date_from: date  # first day of interest in the period
    date_to: date  # last day of interest in the period (inclusive)
    amount: float  # amount due during the period
    rate: float  # annual rate in percent

    @property
    def days(self):
        return (self.date_to - self.date_from).days + 1

    @property
    def interest(self):
        return self.amount * self.rate / 100.0 * self.days / 365.0


def half_year_start(day):
    return date(day.year, 1 if day.month < 7 else 7, 1)


def next_half_year_start(day):
    start = half_year_start(day)
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def interest_periods(amount, due_date, as_of, payments=(), rate_for=None):
    """The periods of interest of an amount due on ``due_date``, up to
    ``as_of`` included.

    :param payments: iterable of (date, amount) lowering the amount due; a
        payment made on day D stops the interest on that amount after D.
    :param rate_for: callable(half_year_start) -> annual rate in percent,
        raising MissingRateError when it has none.
    """
    if as_of <= due_date:
        return []
    changes = {}
    for pay_date, pay_amount in payments:
        # the amount paid on day D no longer bears interest from D + 1
        changes[pay_date + timedelta(days=1)] = (
            changes.get(pay_date + timedelta(days=1), 0.0) + pay_amount
        )
    outstanding = amount - sum(
        v for d, v in changes.items() if d <= due_date + timedelta(days=1)
    )
    boundaries = sorted(d for d in changes if due_date + timedelta(days=1) < d <= as_of)
    periods = []
    start = due_date + timedelta(days=1)
    while start <= as_of:
        end = min(next_half_year_start(start) - timedelta(days=1), as_of)
        next_change = next((d for d in boundaries if start < d <= end), None)
        if next_change:
            end = next_change - timedelta(days=1)
        if outstanding > 0:
            periods.append(
                InterestPeriod(
                    start, end, outstanding, rate_for(half_year_start(start))
                )
            )
        start = end + timedelta(days=1)
        outstanding -= changes.get(start, 0.0)
    return periods


def late_interest(amount, due_date, as_of, payments=(), rate_for=None):
    periods = interest_periods(amount, due_date, as_of, payments, rate_for)
    return sum(p.interest for p in periods), periods

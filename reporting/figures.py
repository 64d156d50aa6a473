"""The credit figures of the cockpit and of the daily snapshot, as plain
functions of amounts already summed by SQL (no ORM here).

- DSO, countback method over the last 90 days of sales, day by day: from
  the receivable balance, the invoiced sales (net of credit notes, taxes
  included, as they enter the receivables) of today, then yesterday, and
  so on are subtracted; every day fully absorbed counts 1, the day that
  exhausts the balance counts its fraction. A balance larger than the 90
  days of sales is spread over the 90 days' average daily sales.
- Best possible DSO: receivables not yet due / sales of the 90 days x 90.
- Average days delinquent: DSO - best possible DSO.
- CEI over the last 30 days, rolling (a month to date says nothing on the
  first days of a month): (receivables 30 days ago + sales of the 30 days -
  receivables now) / (receivables 30 days ago + sales of the 30 days -
  receivables not yet due now) x 100.

A figure that cannot be computed is None (shown "–"), never 0: a DSO without
any sale in the window, a CEI with nothing to collect.
"""

from datetime import timedelta

DSO_WINDOW = 90
CEI_WINDOW = 30


def dso_countback(balance, sales_by_day, today, window=DSO_WINDOW):
    """Days of sales in ``balance``; ``sales_by_day`` {date: amount}.
    0 when nothing is owed; None when something is owed and there was no
    sale in the window (no days of sales to count)."""
    if balance <= 0:
        return 0.0
    remaining = balance
    for back in range(window):
        sales = sales_by_day.get(today - timedelta(days=back), 0.0)
        if sales > 0 and remaining <= sales:
            return back + remaining / sales
        remaining -= sales
    total = sum(
        sales_by_day.get(today - timedelta(days=back), 0.0) for back in range(window)
    )
    if total <= 0:
        return None
    return window + remaining / (total / window)


def best_dso(not_due, sales, window=DSO_WINDOW):
    """Days of sales in the receivables not yet due; None without sales."""
    if sales <= 0:
        return None
    if not_due <= 0:
        return 0.0
    return not_due / sales * window


def cei(opening, sales, closing, closing_current):
    """Collection effectiveness index in percent; None when nothing was
    there to collect."""
    collectable = opening + sales - closing_current
    if collectable <= 0:
        return None
    return (opening + sales - closing) / collectable * 100.0


def sales_in_window(sales_by_day, today, window=DSO_WINDOW):
    return sum(
        sales_by_day.get(today - timedelta(days=back), 0.0) for back in range(window)
    )


def difference(first, second):
    """first - second, None when either is unknown."""
    if first is None or second is None:
        return None
    return first - second

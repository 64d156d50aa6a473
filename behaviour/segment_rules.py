"""The segment a customer's payment figures put it in: plain Python, shared
by the nightly computation (credit.payment.behaviour) and the segments
benchmark (benchmarks/segments.py), which runs these very rules on a
labelled population. No Odoo import: the benchmark loads this file alone.
"""

# the order in which a customer's figures are tried against the segments
SEGMENT_PRIORITY = ("at_risk", "new", "variable", "late", "punctual")

# Variable: the days late spread beyond the threshold AND beyond this share of
# their average; a customer steadily 30 days late (spread 5) is Late, one who
# pays on time one month and 40 days late the next (spread 19, average 19) is
# Variable.
VARIABLE_SPREAD_SHARE = 0.5


def _above(value, threshold):
    """``value`` > ``threshold`` to the hundredth (as float_compare with
    precision_digits=2)."""
    return round(float(value) - float(threshold), 2) > 0


def segment_checks(figures, thresholds):
    """{code: does it apply} for a customer's ``figures`` (invoices_paid,
    avg_days_late, days_late_stddev, broken_promises, hold_reached) against
    ``thresholds`` (min_paid, late_days, variable_days)."""
    spread = figures["days_late_stddev"]
    return {
        "at_risk": bool(figures["broken_promises"] or figures["hold_reached"]),
        "new": figures["invoices_paid"] < thresholds["min_paid"],
        "variable": _above(spread, thresholds["variable_days"])
        and _above(spread, VARIABLE_SPREAD_SHARE * figures["avg_days_late"]),
        "late": _above(figures["avg_days_late"], thresholds["late_days"]),
        "punctual": True,
    }


def decide_segment(figures, thresholds):
    """The code of the segment of a customer's ``figures``: the first of
    SEGMENT_PRIORITY that applies."""
    checks = segment_checks(figures, thresholds)
    return next(code for code in SEGMENT_PRIORITY if checks[code])

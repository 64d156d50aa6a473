"""Do the segments match what a credit manager would call each customer?

    python3 benchmarks/segments.py [--payers 1000] [--seed 42] [--no-save]

Generates a labelled population of payers (seeded), each with its paid
invoices (amount, days late) drawn from a profile, with noise:

- punctual: mostly on time or 1-5 days late, now and then 6-12, rarely (2 %
  of the invoices, one at most) a slip of 20-45 days;
- late: steadily late, around a delay of its own (15-40 days) with a small
  jitter (2-7 days), now and then (7 % a chance per invoice) one invoice on time;
- variable: a mix of invoices on time (0-3 days) and very late ones (20-60
  days), each at least a quarter of its invoices (the customer of issue 30
  pays 0, 35, 2, 40, 0, 30, 1 and 45 days late);
- at risk: long delays (30-90 days, widely spread) and what the addon calls
  at risk: broken promises, a reminder at the credit-hold level, or both;
- new: 0 to 2 paid invoices.

Each payer's figures are those the nightly computation stores (invoices paid,
average days late weighted by amount, population standard deviation of the
days late, broken promises, hold level reached; the unit test
test_figures_against_an_independent_computation checks the SQL against the
same formulas), and its segment is decided by the addon's own rules,
``behaviour/segment_rules.py`` (what ``credit.payment.behaviour`` calls),
with the company's default thresholds read from ``behaviour/res_company.py``.
Prints the confusion matrix (labels x segments) and the accuracy, and writes
``results/segments_<payers>.json``.
"""

import argparse
import ast
import importlib.util
import json
import random
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CODES = ("punctual", "late", "variable", "at_risk", "new")
SHARES = {"punctual": 0.30, "late": 0.25, "variable": 0.20, "at_risk": 0.15}
EXAMPLE = (0, 35, 2, 40, 0, 30, 1, 45)  # issue 30, equal amounts: Variable


def load_rules():
    """behaviour/segment_rules.py, without importing Odoo or the addon."""
    spec = importlib.util.spec_from_file_location(
        "segment_rules", REPO / "behaviour" / "segment_rules.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def default_thresholds():
    """The defaults of the company's fields, read from res_company.py."""
    fields = {
        "credit_segment_min_paid": "min_paid",
        "credit_segment_late_days": "late_days",
        "credit_segment_variable_days": "variable_days",
    }
    tree = ast.parse((REPO / "behaviour" / "res_company.py").read_text())
    thresholds = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in fields
        ):
            default = next(k.value for k in node.value.keywords if k.arg == "default")
            thresholds[fields[node.targets[0].id]] = ast.literal_eval(default)
    return thresholds


def days_late(rng, profile, count):
    if profile == "punctual":
        days = []
        for _i in range(count):
            draw = rng.random()
            if draw < 0.55:
                days.append(0)
            elif draw < 0.90:
                days.append(rng.randint(1, 5))
            elif draw < 0.98 or any(day >= 20 for day in days):
                days.append(rng.randint(6, 12))
            else:  # one slip at most
                days.append(rng.randint(20, 45))
        return days
    if profile == "late":
        base, jitter = rng.uniform(15, 40), rng.uniform(2, 7)
        days = [max(0, round(rng.gauss(base, jitter))) for _i in range(count)]
        if rng.random() < 0.07 * count:  # one invoice on time, now and then
            days[rng.randrange(count)] = 0
        return days
    if profile == "variable":
        share = rng.uniform(0.3, 0.6)
        least = -(-count // 4)  # a quarter at least, of each kind
        late = sum(rng.random() < share for _i in range(count))
        late = min(max(late, least), count - least)
        days = [rng.randint(20, 60) for _i in range(late)]
        days += [rng.randint(0, 3) for _i in range(count - late)]
        rng.shuffle(days)
        return days
    if profile == "at_risk":
        base, spread = rng.uniform(30, 90), rng.uniform(5, 30)
        return [max(0, round(rng.gauss(base, spread))) for _i in range(count)]
    # new: too few to judge, any delay
    return [rng.choice((0, 0, 3, 12, 30, 60)) for _i in range(count)]


def make_payer(rng, profile):
    count = rng.randint(0, 2) if profile == "new" else rng.randint(3, 12)
    amounts = [round(rng.lognormvariate(7, 0.8), 2) for _i in range(count)]
    promises, hold = 0, False
    if profile == "at_risk":
        kind = rng.choice(("promise", "hold", "both"))
        promises = rng.randint(1, 3) if kind != "hold" else 0
        hold = kind != "promise"
    return {
        "label": profile,
        "invoices": list(zip(amounts, days_late(rng, profile, count), strict=True)),
        "broken_promises": promises,
        "hold_reached": hold,
    }


def population(payers, seed):
    rng = random.Random(seed)
    counts = {code: round(payers * share) for code, share in SHARES.items()}
    counts["new"] = payers - sum(counts.values())
    result = [
        make_payer(rng, profile) for profile, n in counts.items() for _i in range(n)
    ]
    rng.shuffle(result)
    return result


def figures(payer):
    """The figures of credit_payment_behaviour._read_figures, in Python."""
    invoices = payer["invoices"]
    paid = len(invoices)
    total = sum(amount for amount, _late in invoices)
    avg = sum(amount * late for amount, late in invoices) / total if total else 0.0
    mean = sum(late for _amount, late in invoices) / paid if paid else 0.0
    stddev = (
        (sum((late - mean) ** 2 for _amount, late in invoices) / paid) ** 0.5
        if paid
        else 0.0
    )
    return {
        "invoices_paid": paid,
        "avg_days_late": round(avg, 2),
        "days_late_stddev": round(stddev, 2),
        "broken_promises": payer["broken_promises"],
        "hold_reached": payer["hold_reached"],
    }


def confusion(payers, rules, thresholds):
    matrix = {label: dict.fromkeys(CODES, 0) for label in CODES}
    for payer in payers:
        matrix[payer["label"]][rules.decide_segment(figures(payer), thresholds)] += 1
    return matrix


def print_matrix(matrix):
    width = max(len(code) for code in CODES) + 2
    print("label \\ segment".ljust(16) + "".join(c.rjust(width) for c in CODES))
    for label in CODES:
        row = matrix[label]
        right = row[label] / max(sum(row.values()), 1)
        print(
            label.ljust(16)
            + "".join(str(row[c]).rjust(width) for c in CODES)
            + f"   {right:6.1%}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    rules = load_rules()
    thresholds = default_thresholds()
    payers = population(args.payers, args.seed)
    matrix = confusion(payers, rules, thresholds)
    right = sum(matrix[code][code] for code in CODES)
    accuracy = right / len(payers)
    example = rules.decide_segment(
        figures(
            {
                "invoices": [(1000.0, late) for late in EXAMPLE],
                "broken_promises": 0,
                "hold_reached": False,
            }
        ),
        thresholds,
    )
    print(
        f"{len(payers)} payers (seed {args.seed}), rules in the order "
        f"{', '.join(rules.SEGMENT_PRIORITY)}, thresholds {thresholds}"
    )
    print_matrix(matrix)
    print(f"accuracy: {accuracy:.1%} ({right}/{len(payers)})")
    print(f"issue 30's customer {EXAMPLE}: {example}")
    if args.no_save:
        return
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"segments_{args.payers}.json").write_text(
        json.dumps(
            {
                "payers": len(payers),
                "seed": args.seed,
                "commit": commit,
                "priority": list(rules.SEGMENT_PRIORITY),
                "thresholds": thresholds,
                "confusion": matrix,
                "accuracy": round(accuracy, 4),
                "example_issue_30": example,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()

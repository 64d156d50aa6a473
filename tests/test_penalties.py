import ast
import unittest
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..late_payment.penalties import MissingRateError, late_interest
from .common import CreditDunningCommon

RATES = {date(2025, 7, 1): 12.15, date(2026, 1, 1): 12.0}


def _rate_for(half_year):
    if half_year not in RATES:
        raise MissingRateError(half_year)
    return RATES[half_year]


class TestPenaltyEngine(unittest.TestCase):
    """The calculation itself, on the worked examples, without a database."""

    def test_delay_spanning_two_half_years(self):
        # 10,000 due 30 Nov 2025, as of 1 Mar 2026: 31 days at 12.15 % (2025 H2)
        # and 60 days at 12 % (2026 H1)
        interest, periods = late_interest(
            10000, date(2025, 11, 30), date(2026, 3, 1), rate_for=_rate_for
        )
        self.assertEqual([(p.days, p.rate) for p in periods], [(31, 12.15), (60, 12.0)])
        # 10000 x 12.15 % x 31/365 + 10000 x 12 % x 60/365 = 103.19 + 197.26
        self.assertEqual(round(interest, 2), 300.45)

    def test_partial_payment(self):
        # 1,000 due 31 Jan 2026, 400 paid on 20 Feb, as of 2 Mar:
        # 1000 x 12 % x 20/365 + 600 x 12 % x 10/365
        interest, periods = late_interest(
            1000,
            date(2026, 1, 31),
            date(2026, 3, 2),
            [(date(2026, 2, 20), 400)],
            _rate_for,
        )
        self.assertEqual([(p.amount, p.days) for p in periods], [(1000, 20), (600, 10)])
        self.assertEqual(round(interest, 2), 8.55)

    def test_not_late(self):
        self.assertEqual(
            late_interest(100, date(2026, 3, 1), date(2026, 3, 1), rate_for=_rate_for)[
                0
            ],
            0,
        )
        # paid in full on time
        interest, _periods = late_interest(
            100,
            date(2026, 3, 1),
            date(2026, 4, 1),
            [(date(2026, 2, 25), 100)],
            _rate_for,
        )
        self.assertEqual(interest, 0)

    def test_missing_rate(self):
        with self.assertRaises(MissingRateError) as error:
            late_interest(100, date(2025, 5, 1), date(2025, 8, 1), rate_for=_rate_for)
        self.assertEqual(error.exception.half_year_start, date(2025, 1, 1))


@tagged("post_install", "-at_install")
class TestPenalties(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        Rate = cls.env["credit.reference.rate"]
        Rate.create({"date_from": "2025-07-01", "rate": 2.15})
        # 2026-01-01: 2.0, from tests/common.py
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Jane Consumer", "email": "jane@example.com"}
        )

    def test_invoice_amounts_to_the_cent(self):
        invoice = self._invoice(self.customer, 10000, "2025-10-31", due="2025-11-30")
        with freeze_time("2026-03-01"):
            invoice.invalidate_recordset()
            self.assertAlmostEqual(invoice.late_interest_amount, 300.45, places=2)
            # 40 EUR at 2 EUR per USD
            self.assertAlmostEqual(invoice.recovery_indemnity_amount, 20.0, places=2)
            # rates as English writes them (French: "12,15 %")
            self.assertIn("12.15% x 31 days / 365", invoice.late_interest_detail)
            self.assertIn("12% x 60 days / 365", invoice.late_interest_detail)
            self.assertFalse(invoice.late_interest_error)

    def test_partial_payment_and_consumer(self):
        invoice = self._invoice(self.consumer, 1000, "2026-01-01", due="2026-01-31")
        self._pay(invoice, amount=400, pay_date="2026-02-20")
        with freeze_time("2026-03-02"):
            invoice.invalidate_recordset()
            self.assertAlmostEqual(invoice.late_interest_amount, 8.55, places=2)
            self.assertEqual(
                invoice.recovery_indemnity_amount, 0.0, "consumers owe no indemnity"
            )

    def test_many_invoices_at_once_as_one_by_one(self):
        """A customer's account page computes the penalties of all its open
        invoices at once: the same figures as invoice by invoice, in as many
        queries for 12 invoices (some partly paid late) as for 3."""
        invoices = self.env["account.move"]
        for index in range(12):
            invoice = self._invoice(
                self.customer, 1000 + index, "2025-10-31", due="2025-11-30"
            )
            if index % 3 == 0:
                self._pay(invoice, amount=300, pay_date="2026-01-15")
            invoices |= invoice
        fields_ = [
            "late_interest_amount",
            "recovery_indemnity_amount",
            "recovery_indemnity_label",
            "late_interest_detail",
        ]
        with freeze_time("2026-03-01"):
            expected = {}
            for invoice in invoices:
                invoice.invalidate_recordset()
                alone = self.env["account.move"].browse(invoice.id)
                expected[invoice.id] = [alone[name] for name in fields_]
            self.assertTrue(all(values[0] > 0 for values in expected.values()))

            def count(moves):
                self.env.invalidate_all()
                moves = self.env["account.move"].browse(moves.ids)
                before = self.env.cr.sql_log_count
                together = {m.id: [m[name] for name in fields_] for m in moves}
                return self.env.cr.sql_log_count - before, together

            count(invoices[:3])  # the caches of the rules and rates
            few, _ = count(invoices[:3])
            many, together = count(invoices)
        self.assertEqual(together, expected)
        self.assertIn("x 45 days / 365", together[invoices[0].id][3])
        self.assertEqual(many, few, "queries grow with the number of invoices")

    def test_contractual_rate_and_its_floor(self):
        self.company.write(
            {
                "credit_penalty_rate_type": "contractual",
                "credit_contractual_rate": 15.0,
                "credit_legal_interest_rate": 6.0,
            }
        )
        self.assertIn(
            "below the legal floor of 18.0 %",
            self.company.credit_contractual_rate_warning,
        )
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        with freeze_time("2026-03-02"):
            invoice.invalidate_recordset()
            # 1000 x 15 % x 30 / 365
            self.assertAlmostEqual(invoice.late_interest_amount, 12.33, places=2)
        self.company.credit_contractual_rate = 18.5
        self.assertFalse(self.company.credit_contractual_rate_warning)

    def test_first_half_of_2026_is_shipped(self):
        """A fresh install in 2026 charges the statutory rate of the first
        half-year without anyone typing it: the ECB rate of 1 January 2026,
        2.15 %, plus 10 points."""
        self.env["credit.reference.rate"].search(
            [("company_id", "=", self.company.id)]
        ).unlink()
        rate_for = self.company._credit_penalty_rate_for()
        self.assertAlmostEqual(rate_for(date(2026, 1, 1)), 12.15)
        invoice = self._invoice(self.customer, 10000, "2026-01-05", due="2026-02-04")
        with freeze_time("2026-03-06"):
            invoice.invalidate_recordset()
            self.assertFalse(invoice.late_interest_error)
            # 10,000 x 12.15 % x 30 / 365
            self.assertAlmostEqual(invoice.late_interest_amount, 99.86, places=2)

    def test_missing_rate_is_said_not_guessed(self):
        self.env["credit.reference.rate"].search(
            [("date_from", "=", "2025-07-01")]
        ).unlink()
        invoice = self._invoice(self.customer, 10000, "2025-10-31", due="2025-11-30")
        with freeze_time("2026-03-01"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.late_interest_amount, 0.0)
            self.assertIn(
                "No reference rate for the half-year starting",
                invoice.late_interest_error,
            )
            comm = self.env["credit.dunning.communication"].create(
                {
                    "partner_id": self.customer.id,
                    "recipient_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": self.env.ref(
                        "credit_dunning.credit_dunning_level_formal_notice"
                    ).id,
                    "date": "2026-03-01",
                    "line_ids": [
                        Command.create(
                            {
                                "move_id": invoice.id,
                                "amount_residual": 10000,
                                "amount_residual_currency": 10000,
                            }
                        )
                    ],
                }
            )
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html("credit_dunning.report_dunning_letter", comm.ids)[0]
                .decode()
            )
        self.assertIn("Formal notice to pay", html)
        # a customer never reads a configuration hint (the run holds such a
        # reminder before it is printed)
        self.assertNotIn("No reference rate", html)
        self.assertNotIn("Credit Control &gt;", html)
        self.assertNotIn("300.45", html)

    def test_indemnity_in_euros_or_not_at_all(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        with freeze_time("2026-03-02"):
            invoice.invalidate_recordset()
            self.assertAlmostEqual(invoice.recovery_indemnity_amount, 20.0, places=2)
            self.assertRegex(
                invoice.recovery_indemnity_label, r"^40\.00.€ \(\$.20\.00\)$"
            )
        # where the law provides no indemnity, none is counted nor mentioned
        self.company.credit_recovery_indemnity_applies = False
        with freeze_time("2026-03-02"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.recovery_indemnity_amount, 0.0)
            self.assertFalse(invoice.recovery_indemnity_label)
            self.assertNotIn("indemnity", invoice.credit_penalty_mention)
            self.assertIn("interest at", invoice.credit_penalty_mention)

    def test_reference_rate_validation(self):
        with self.assertRaises(ValidationError):
            self.env["credit.reference.rate"].create(
                {"date_from": "2026-03-01", "rate": 2.0}
            )
        with self.assertRaises(ValidationError):
            self.env["credit.reference.rate"].create(
                {"date_from": "2027-01-01", "rate": -1}
            )

    def test_charging_once_per_invoice_and_level(self):
        Run = self.env["credit.dunning.run"]
        notice = self.env.ref("credit_dunning.credit_dunning_level_formal_notice")
        cash = self.env.ref("credit_dunning.credit_dunning_level_cash_only")
        (notice | cash).charge_penalties = True
        invoice = self._invoice(self.customer, 10000, "2025-11-01", due="2025-12-01")
        invoice.dunning_level_id = self.env.ref(
            "credit_dunning.credit_dunning_level_credit_hold"
        )  # reminded before: the formal notice is never a first contact
        with freeze_time("2025-12-31"):  # +30: formal notice
            run = Run._run(self.company)
        penalty = run.communication_ids.penalty_move_id
        self.assertTrue(penalty)
        self.assertEqual(penalty.state, "posted")
        self.assertTrue(penalty.credit_is_penalty_invoice)
        self.assertEqual(penalty.credit_penalty_source_ids, invoice)
        self.assertEqual(invoice.credit_penalty_invoice_ids, penalty)
        self.assertFalse(penalty.invoice_line_ids.tax_ids)
        interest_line = penalty.invoice_line_ids.filtered(
            lambda line: line.credit_penalty_kind == "interest"
        )
        indemnity_line = penalty.invoice_line_ids.filtered(
            lambda line: line.credit_penalty_kind == "indemnity"
        )
        # 10000 x 12.15 % x 30 / 365
        self.assertAlmostEqual(interest_line.price_subtotal, 99.86, places=2)
        self.assertAlmostEqual(indemnity_line.price_subtotal, 20.0, places=2)
        self.assertAlmostEqual(penalty.amount_total, 119.86, places=2)
        # the same day again: nothing more
        with freeze_time("2025-12-31"):
            self.assertFalse(Run._run(self.company).communication_ids)
        # +45: only the interest accrued since, no second indemnity
        with freeze_time("2026-01-15"):
            second = Run._run(self.company).communication_ids.penalty_move_id
        self.assertEqual(second.invoice_line_ids.credit_penalty_kind, "interest")
        # 45 days in all: 30 (2 to 31 Dec) at 12.15 % + 15 (1 to 15 Jan) at 12 %,
        # minus the 99.86 already charged: 10000 x 12 % x 15 / 365
        expected = round(10000 * 0.1215 * 30 / 365 + 10000 * 0.12 * 15 / 365, 2) - 99.86
        self.assertAlmostEqual(second.amount_total, expected, places=2)
        # the penalty invoices are not charged penalties themselves
        self.assertFalse(second.credit_penalty_invoice_ids)

    def test_reversal_by_credit_manager_only(self):
        notice = self.env.ref("credit_dunning.credit_dunning_level_formal_notice")
        notice.charge_penalties = True
        invoice = self._invoice(self.customer, 1000, "2025-11-01", due="2025-12-01")
        invoice.dunning_level_id = self.env.ref(
            "credit_dunning.credit_dunning_level_credit_hold"
        )  # reminded before: the formal notice is never a first contact
        with freeze_time("2025-12-31"):
            penalty = (
                self.env["credit.dunning.run"]
                ._run(self.company)
                .communication_ids.penalty_move_id
            )
        with self.assertRaises(UserError):
            penalty.with_user(self.collector).action_credit_reverse_penalties()
        penalty.with_user(self.credit_manager).action_credit_reverse_penalties()
        self.assertEqual(penalty.payment_state, "reversed")
        self.assertIn("Penalties taken back", penalty.message_ids[0].body)

    def test_payment_term_compliance(self):
        Term = self.env["account.payment.term"]

        def term(name, nb_days, delay_type="days_after"):
            return Term.create(
                {
                    "name": name,
                    "line_ids": [
                        Command.create(
                            {
                                "value": "percent",
                                "value_amount": 100,
                                "nb_days": nb_days,
                                "delay_type": delay_type,
                            }
                        )
                    ],
                }
            )

        days_30 = term("30 days", 30)
        days_60 = term("60 days", 60)
        days_90 = term("90 days", 90)
        eom_45 = term("45 days end of month", 45, "days_after_end_of_month")
        eom_60 = term("End of month + 60", 60, "days_after_end_of_month")
        self.assertFalse(days_30.credit_term_noncompliant)
        self.assertFalse(days_60.credit_term_noncompliant)
        self.assertFalse(eom_45.credit_term_noncompliant)
        self.assertTrue(days_90.credit_term_noncompliant)
        self.assertTrue(eom_60.credit_term_noncompliant)
        b2b = self._invoice(self.customer, 100, "2026-03-01", post=False)
        b2b.invoice_payment_term_id = days_90
        b2b.action_post()
        b2c = self._invoice(self.consumer, 100, "2026-03-01", post=False)
        b2c.invoice_payment_term_id = days_90
        b2c.action_post()
        ok = self._invoice(self.customer, 100, "2026-03-01", due="2026-04-15")
        self.assertTrue(b2b.credit_term_noncompliant)
        self.assertFalse(b2c.credit_term_noncompliant, "consumers are not concerned")
        self.assertFalse(ok.credit_term_noncompliant)
        action = self.env.ref(
            "credit_dunning.account_move_credit_term_noncompliant_action"
        )
        flagged = self.env["account.move"].search(ast.literal_eval(action.domain))
        self.assertIn(b2b, flagged)
        self.assertNotIn(ok, flagged)
        self.customer.property_payment_term_id = days_90
        customers = self.env.ref(
            "credit_dunning.res_partner_credit_term_noncompliant_action"
        )
        self.assertIn(
            self.customer,
            self.env["res.partner"].search(ast.literal_eval(customers.domain)),
        )

    def test_mandatory_mentions_on_b2b_invoices(self):
        b2b = self._invoice(self.customer, 100, "2026-03-01")
        b2c = self._invoice(self.consumer, 100, "2026-03-01")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", b2b.ids)[0]
            .decode()
        )
        self.assertIn("12 % per year (central bank rate + 10 points)", html)
        # 40 EUR as the law says it, and its equivalent in the company's dollars
        self.assertRegex(
            html, r"fixed indemnity for recovery costs of 40\.00.€ \(\$.20\.00\)"
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", b2c.ids)[0]
            .decode()
        )
        self.assertNotIn("indemnity for recovery costs", html)

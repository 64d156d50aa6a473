from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditDunningCommon

TODAY = "2026-06-15"


@tagged("post_install", "-at_install")
class TestAgedReceivable(CreditDunningCommon):
    """The aged receivables report against the partners' ledger balances:
    credit notes, partial payments, a foreign-currency invoice, two
    companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        cls.company_2 = cls.setup_other_company(name="Company B")["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.other = cls._make_customer(
            "Martin SARL", "martin@example.com", salesman=cls.other_salesman
        )
        cls.customer.with_company(cls.company).credit_collector_id = cls.collector
        # Dupont, company A
        cls.not_due = cls._invoice(cls.customer, 1000, "2026-06-01", due="2026-06-20")
        cls.partial = cls._invoice(cls.customer, 500, "2026-05-01", due="2026-06-01")
        cls._pay(cls.partial, 200, "2026-06-05")
        cls.refund = cls._invoice(
            cls.customer, 100, "2026-05-10", due="2026-05-10", move_type="out_refund"
        )
        # 400 EUR at 2 EUR per company currency unit: 200 in company currency
        cls.foreign = cls._invoice(
            cls.customer, 400, "2026-02-01", due="2026-03-01", currency=cls.eur
        )
        # Martin, company A: one open, one paid in full
        cls.other_open = cls._invoice(cls.other, 800, "2026-03-10", due="2026-04-10")
        paid = cls._invoice(cls.other, 300, "2026-03-10", due="2026-04-10")
        cls._pay(paid, pay_date="2026-04-20")
        # Dupont, company B
        cls.company_b_invoice = cls._invoice(
            cls.customer, 700, "2026-04-01", due="2026-05-01", company=cls.company_2
        )
        cls.collector.company_ids |= cls.company_2

    def _ledger_balance(self, partner, company):
        """What the partner owes the company: the residual of its posted
        receivable items, summed from the journal items themselves."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("company_id", "=", company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                ]
            )
        )
        return sum(lines.mapped("amount_residual"))

    def _report(self, user, companies):
        return (
            self.env["credit.aged.receivable"]
            .with_user(user)
            .with_context(allowed_company_ids=companies.ids)
        )

    @freeze_time(TODAY)
    def test_total_per_partner_equals_ledger_balance(self):
        report = self._report(self.collector, self.company | self.company_2)
        groups = report._read_group(
            [], ["company_id", "partner_id"], ["amount_residual:sum"]
        )
        totals = {(c, p): amount for c, p, amount in groups}
        for company in self.company | self.company_2:
            for partner in self.customer | self.other:
                self.assertAlmostEqual(
                    totals.get((company, partner), 0.0),
                    self._ledger_balance(partner, company),
                    places=2,
                    msg=f"{partner.name} in {company.name}",
                )
        # the figures by hand: 1000 + 300 - 100 + 200, 800, 700
        self.assertAlmostEqual(totals[self.company, self.customer], 1400.0, places=2)
        self.assertAlmostEqual(totals[self.company, self.other], 800.0, places=2)
        self.assertAlmostEqual(totals[self.company_2, self.customer], 700.0, places=2)

    @freeze_time(TODAY)
    def test_buckets(self):
        report = self._report(self.collector, self.company)
        lines = report.search([("partner_id", "=", self.customer.id)])
        by_move = {line.move_id: line for line in lines}
        expected = {
            self.not_due: ("not_due", 0, 1000.0),
            self.partial: ("1_30", 14, 300.0),
            self.refund: ("31_60", 36, -100.0),
            self.foreign: ("90_plus", 106, 200.0),
        }
        for move, (bucket, days, amount) in expected.items():
            line = by_move[move]
            self.assertEqual(line.bucket, bucket, move.name)
            self.assertEqual(line.days_overdue, days, move.name)
            self.assertAlmostEqual(line.amount_residual, amount, places=2)
            column = {
                "not_due": "amount_not_due",
                "1_30": "amount_1_30",
                "31_60": "amount_31_60",
                "61_90": "amount_61_90",
                "90_plus": "amount_90_plus",
            }[bucket]
            self.assertAlmostEqual(line[column], amount, places=2)
            self.assertAlmostEqual(
                line.amount_overdue, 0.0 if bucket == "not_due" else amount, places=2
            )
        # the payment went to the partly paid invoice: no unmatched payment
        self.assertEqual(set(by_move), set(expected))
        self.assertEqual(lines.user_id, self.salesman)
        self.assertEqual(lines.collector_id, self.collector)
        # the pivot by bucket, as the graph draws it
        groups = dict(
            report._read_group(
                [("partner_id", "=", self.customer.id)],
                ["bucket"],
                ["amount_residual:sum"],
            )
        )
        self.assertEqual(
            groups,
            {"not_due": 1000.0, "1_30": 300.0, "31_60": -100.0, "90_plus": 200.0},
        )

    @freeze_time(TODAY)
    def test_time_moves_the_buckets(self):
        report = self._report(self.collector, self.company)
        with freeze_time("2026-07-15"):
            line = report.search([("move_id", "=", self.not_due.id)])
            self.assertEqual((line.bucket, line.days_overdue), ("1_30", 25))

    @freeze_time(TODAY)
    def test_multi_company_record_rule(self):
        only_a = self._report(self.collector, self.company).search([])
        self.assertEqual(only_a.company_id, self.company)
        both = self._report(self.collector, self.company | self.company_2).search([])
        self.assertEqual(both.company_id, self.company | self.company_2)
        user_a = new_test_user(
            self.env,
            login="cd_collector_a",
            groups="credit_dunning.group_credit_control_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        lines = self.env["credit.aged.receivable"].with_user(user_a).search([])
        self.assertTrue(lines)
        self.assertNotIn(self.company_b_invoice, lines.move_id)

    @freeze_time(TODAY)
    def test_rights(self):
        portal = new_test_user(self.env, login="cd_portal", groups="base.group_portal")
        line = self.env["credit.aged.receivable"].search([], limit=1)
        for user in (self.salesman, self.internal_user, portal):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["credit.aged.receivable"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                line.with_user(user).action_open_move()

    @freeze_time(TODAY)
    def test_open_the_invoice(self):
        line = self._report(self.collector, self.company).search(
            [("move_id", "=", self.partial.id)]
        )
        action = line.action_open_move()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", self.partial.id)
        )


@tagged("post_install", "-at_install")
class TestAgedReceivableTour(CreditDunningCommon, HttpCase):
    """The browser runs on the real clock: the dates are relative to today."""

    def test_collector_opens_an_overdue_invoice(self):
        today = fields.Date.context_today(self.env.user)
        self._invoice(
            self.customer,
            1000,
            today - timedelta(days=5),
            due=today + timedelta(days=25),
        )
        overdue = self._invoice(
            self.customer,
            500,
            today - timedelta(days=40),
            due=today - timedelta(days=10),
        )
        line = self.env["credit.aged.receivable"].search([("move_id", "=", overdue.id)])
        self.assertEqual((line.bucket, line.days_overdue), ("1_30", 10))
        self.start_tour("/odoo", "credit_aged_receivable", login=self.collector.login)

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditDunningCommon

TODAY = "2026-06-15"  # a Monday


class CockpitCommon(CreditDunningCommon):
    """Two companies (A in USD, B in EUR at 2 EUR per USD) and two customers
    with invoices, a credit note, partial and full payments, a foreign-
    currency invoice. The figures by hand, at 2026-06-15, company A:

    | invoice            | dated | due   | open  | days | expected (+lateness) |
    |--------------------|-------|-------|-------|------|----------------------|
    | Dupont 1000        | 06-10 | 07-10 | 1000  | -    | 07-26 (+16)          |
    | Dupont 500, 200 pd | 05-01 | 06-01 | 300   | 14   | 06-17                |
    | Dupont refund 100  | 05-10 | 05-10 | -100  | 36   | 05-26 (now)          |
    | Dupont 400 EUR     | 02-01 | 03-01 | 200   | 106  | 03-17 (now)          |
    | Martin 800         | 03-10 | 04-10 | 800   | 66   | 04-20 (now, +10)     |
    | Martin 300 paid    | 03-20 | 04-10 | 0     | paid 04-20: 10 days late  |
    | Dupont 600 paid    | 01-05 | 02-05 | 0     | paid 02-25: 20 days late  |
    | Dupont 200 paid    | 02-01 | 03-01 | 0     | paid 03-05: 4 days late   |

    Dupont's lateness: (600 x 20 + 200 x 4) / 800 = 16 days; Martin's: 10.
    Company B: Dupont 700 EUR dated 04-01, due 05-01 (45 days), = 350 USD.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        cls.company_2 = cls.setup_other_company(
            name="Company B", currency_id=cls.eur.id
        )["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.company_2.email = "company.b@example.com"
        cls.collector.company_ids |= cls.company_2
        cls.credit_manager.company_ids |= cls.company_2
        cls.other = cls._make_customer(
            "Martin SARL", "martin@example.com", salesman=cls.other_salesman
        )
        cls.customer.with_company(cls.company).credit_collector_id = cls.collector
        invoice = cls._invoice
        cls.inv_not_due = invoice(cls.customer, 1000, "2026-06-10", due="2026-07-10")
        cls.inv_partial = invoice(cls.customer, 500, "2026-05-01", due="2026-06-01")
        cls._pay(cls.inv_partial, 200, "2026-06-05")
        cls.refund = invoice(
            cls.customer, 100, "2026-05-10", due="2026-05-10", move_type="out_refund"
        )
        cls.inv_foreign = invoice(
            cls.customer, 400, "2026-02-01", due="2026-03-01", currency=cls.eur
        )
        cls.inv_martin = invoice(cls.other, 800, "2026-03-10", due="2026-04-10")
        cls._pay(
            invoice(cls.other, 300, "2026-03-20", due="2026-04-10"),
            pay_date="2026-04-20",
        )
        cls._pay(
            invoice(cls.customer, 600, "2026-01-05", due="2026-02-05"),
            pay_date="2026-02-25",
        )
        cls._pay(
            invoice(cls.customer, 200, "2026-02-01", due="2026-03-01"),
            pay_date="2026-03-05",
        )
        cls.inv_b = invoice(
            cls.customer, 700, "2026-04-01", due="2026-05-01", company=cls.company_2
        )

    def _cockpit(self, user=None, company_ids=None):
        cockpit = self.env["credit.cockpit"].with_user(user or self.collector)
        return cockpit.get_cockpit_data(company_ids=company_ids)

    @staticmethod
    def _figures(data):
        return {figure["key"]: figure["value"] for figure in data["figures"]}


@tagged("post_install", "-at_install")
class TestCockpitFigures(CockpitCommon):
    @freeze_time(TODAY)
    def test_contract_shape(self):
        data = self._cockpit(company_ids=[self.company.id])
        self.assertEqual(data["date"], TODAY)
        self.assertEqual(data["currency"]["id"], self.company.currency_id.id)
        self.assertEqual(
            [figure["key"] for figure in data["figures"]],
            [
                "receivable",
                "overdue",
                "overdue_percent",
                "dso",
                "best_dso",
                "add",
                "cei",
                "promises_open",
                "promises_week",
                "disputed",
                "on_hold",
                "cash_only",
                "blocked_orders",
                "failed_reminders",
                "letters_to_print",
                "proceedings",
            ],
        )
        for figure in data["figures"]:
            self.assertTrue(figure["label"] and figure["tooltip"], figure["key"])
            self.assertEqual(figure["action"]["type"], "ir.actions.act_window")
        # an empty list behind a figure shows no row, never Odoo's samples
        actions = [
            item["action"]
            for item in (
                data["figures"]
                + data["aging"]["buckets"]
                + data["aging"]["customers"]
                + data["forecast"]
            )
        ]
        self.assertTrue(actions)
        for action in actions:
            self.assertIs(action["useSampleModel"], False, action["name"])
        self.assertIn("countback", self._tooltip(data, "dso"))
        self.assertIn("90 days", self._tooltip(data, "dso"))
        self.assertEqual(
            [b["key"] for b in data["aging"]["buckets"]],
            ["not_due", "1_30", "31_60", "61_90", "90_plus"],
        )
        self.assertEqual(
            [f["key"] for f in data["forecast"]], ["7", "30", "60", "late"]
        )
        self.assertEqual(len(data["trend"]), 12)
        self.assertEqual(data["trend"][0]["month"], "2025-07")
        self.assertEqual(data["trend"][-1]["month"], "2026-06")
        self.assertEqual(data["trend"][-1]["label"], "Jun 2026")

    def _tooltip(self, data, key):
        return next(f["tooltip"] for f in data["figures"] if f["key"] == key)

    @freeze_time(TODAY)
    def test_aging_and_receivables(self):
        data = self._cockpit(company_ids=[self.company.id])
        figures = self._figures(data)
        self.assertAlmostEqual(figures["receivable"], 2200.0, places=2)
        self.assertAlmostEqual(figures["overdue"], 1200.0, places=2)
        self.assertAlmostEqual(figures["overdue_percent"], 1200 / 2200 * 100, places=4)
        buckets = {b["key"]: b["amount"] for b in data["aging"]["buckets"]}
        self.assertEqual(
            {k: round(v, 2) for k, v in buckets.items()},
            {
                "not_due": 1000.0,
                "1_30": 300.0,
                "31_60": -100.0,
                "61_90": 800.0,
                "90_plus": 200.0,
            },
        )
        # the buckets add up to the ledger, to the cent
        ledger = sum(
            self.env["account.move.line"]
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                ]
            )
            .mapped("amount_residual")
        )
        self.assertAlmostEqual(sum(buckets.values()), ledger, places=2)
        customers = data["aging"]["customers"]
        self.assertEqual(
            [c["partner_id"] for c in customers], [self.other.id, self.customer.id]
        )
        self.assertEqual(
            [round(a, 2) for a in customers[1]["amounts"]],
            [1000.0, 300.0, -100.0, 0.0, 200.0],
        )
        self.assertAlmostEqual(customers[1]["total"], 1400.0, places=2)
        # a bucket opens its own lines, whose total is the bucket's
        action = data["aging"]["buckets"][1]["action"]
        lines = self.env[action["res_model"]].with_user(self.collector)
        lines = lines.search(action["domain"])
        self.assertEqual(lines.move_id, self.inv_partial)
        action = next(f for f in data["figures"] if f["key"] == "overdue")["action"]
        lines = self.env[action["res_model"]].with_user(self.collector)
        total = sum(lines.search(action["domain"]).mapped("amount_residual"))
        self.assertAlmostEqual(total, 1200.0, places=2)

    @freeze_time(TODAY)
    def test_dso_best_dso_cei(self):
        figures = self._figures(self._cockpit(company_ids=[self.company.id]))
        # sales of the 90 days (03-18..06-15): 1000 + 500 - 100 + 300 = 1700.
        # Countback from 2200: 06-15..06-11 nothing, 06-10 1000 -> 1200,
        # 05-10 -100 -> 1300, 05-01 500 -> 800, 03-20 300 -> 500: after the
        # 90 days, 500 at 1700 / 90 a day.
        dso = 90 + 500 / (1700 / 90)
        self.assertAlmostEqual(figures["dso"], dso, places=4)
        self.assertAlmostEqual(self._countback(2200, TODAY), dso, places=4)
        best = 1000 / 1700 * 90
        self.assertAlmostEqual(figures["best_dso"], best, places=4)
        self.assertAlmostEqual(figures["add"], dso - best, places=4)
        # CEI of the last 30 days (05-17 to 06-15): receivables at 05-16
        # 500 - 100 + 200 + 800 = 1400, sales 1000 (06-10), closing 2200 of
        # which 1000 not yet due: 200 collected (06-05) / 1400 collectable
        self.assertAlmostEqual(figures["cei"], 200 / 1400 * 100, places=4)
        self.assertIn("30 days", self._tooltip_of("cei"))

    def _tooltip_of(self, key, company=None):
        data = self._cockpit(company_ids=[(company or self.company).id])
        return next(f["tooltip"] for f in data["figures"] if f["key"] == key)

    @freeze_time("2026-06-07")
    def test_cei_early_in_the_month_reads_the_last_30_days(self):
        # 06-07, company B: 700 EUR owed since 05-01, nothing sold or paid
        # in the 30 days (05-09 to 06-07): 0 collected of 700 collectable
        figures = self._figures(self._cockpit(company_ids=[self.company_2.id]))
        self.assertAlmostEqual(figures["cei"], 0.0, places=4)
        # company A on 06-07, window 05-09 to 06-07: receivables now 2200
        # (the invoice dated 06-10 is posted already); movements dated 05-09
        # or later +1000 (06-10) -200 (paid 06-05) -100 (refund 05-10), so
        # 1500 at 05-08 (500 + 200 + 800); sales 1000 - 100 = 900; not yet
        # due 1000: (1500 + 900 - 2200) / (1500 + 900 - 1000) = 200 / 1400,
        # where the month to date would read 06-01 to 06-07 only
        figures = self._figures(self._cockpit(company_ids=[self.company.id]))
        self.assertAlmostEqual(figures["cei"], 200 / 1400 * 100, places=4)

    @freeze_time("2026-07-15")
    def test_figures_without_sales_are_unknown(self):
        # company B: its only sale (04-01) is out of the 90 days (04-17 to
        # 07-15): no days of sales to count the 700 owed in
        data = self._cockpit(company_ids=[self.company_2.id])
        figures = self._figures(data)
        self.assertAlmostEqual(figures["receivable"], 700.0, places=2)
        self.assertIsNone(figures["dso"])
        self.assertIsNone(figures["best_dso"])
        self.assertIsNone(figures["add"])
        self.assertIn("No sale in the 90 days", self._tooltip(data, "dso"))
        # and nothing to collect makes no CEI either
        from ..reporting import figures as formulas

        self.assertIsNone(formulas.cei(0.0, 0.0, 0.0, 0.0))
        self.assertIsNone(formulas.dso_countback(100.0, {}, date(2026, 7, 15)))
        self.assertEqual(formulas.dso_countback(0.0, {}, date(2026, 7, 15)), 0.0)

    def _countback(self, balance, today):
        """The countback written again, from the invoices themselves."""
        today = date.fromisoformat(today)
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        daily = {}
        for move in moves:
            daily[move.date] = daily.get(move.date, 0.0) + move.amount_total_signed
        days, remaining = 0, balance
        window = [today - timedelta(days=n) for n in range(90)]
        for day in window:
            sales = daily.get(day, 0.0)
            if sales > 0 and remaining <= sales:
                return days + remaining / sales
            remaining -= sales
            days += 1
        return days + remaining / (sum(daily.get(d, 0.0) for d in window) / 90)

    @freeze_time(TODAY)
    def test_dso_inside_the_window(self):
        # company B alone: 700 owed, sold 75 days ago: 75 + 700 / 700 days
        figures = self._figures(self._cockpit(company_ids=[self.company_2.id]))
        self.assertAlmostEqual(figures["receivable"], 700.0, places=2)
        self.assertAlmostEqual(figures["dso"], 76.0, places=4)
        self.assertAlmostEqual(figures["best_dso"], 0.0, places=4)

    @freeze_time(TODAY)
    def test_forecast(self):
        data = self._cockpit(company_ids=[self.company.id])
        forecast = {f["key"]: f["amount"] for f in data["forecast"]}
        # expected (due + the customer's lateness) from today: the 300 left
        # of Dupont's 500 on 06-17, the 1000 on 07-26. Already past their
        # expected date, later than the customer's habit: the refund (05-26),
        # the 400 EUR (03-17) and Martin's 800 (04-20): no date to expect,
        # not "within 7 days"
        self.assertAlmostEqual(forecast["7"], 300.0, places=2)
        self.assertAlmostEqual(forecast["30"], 300.0, places=2)
        self.assertAlmostEqual(forecast["60"], 1300.0, places=2)
        self.assertAlmostEqual(forecast["late"], -100 + 200 + 800, places=2)
        lines = self.env["credit.aged.receivable"].with_user(self.collector)
        lateness = {
            line.partner_id: line.lateness_days
            for line in lines.search([("company_id", "=", self.company.id)])
        }
        self.assertEqual(lateness, {self.customer: 16, self.other: 10})
        action = data["forecast"][0]["action"]
        self.assertEqual(lines.search(action["domain"]).move_id, self.inv_partial)
        action = data["forecast"][-1]["action"]
        self.assertEqual(
            lines.search(action["domain"]).move_id,
            self.refund | self.inv_foreign | self.inv_martin,
        )

    @freeze_time(TODAY)
    def test_two_companies_in_the_first_ones_currency(self):
        data = self._cockpit(company_ids=[self.company.id, self.company_2.id])
        figures = self._figures(data)
        self.assertEqual(data["currency"]["id"], self.company.currency_id.id)
        self.assertAlmostEqual(figures["receivable"], 2200.0 + 350.0, places=2)
        buckets = {b["key"]: b["amount"] for b in data["aging"]["buckets"]}
        self.assertAlmostEqual(buckets["31_60"], -100.0 + 350.0, places=2)
        dupont = next(
            c for c in data["aging"]["customers"] if c["partner_id"] == self.customer.id
        )
        self.assertAlmostEqual(dupont["total"], 1400.0 + 350.0, places=2)
        # in company B's currency when it comes first, at its rates
        data = self._cockpit(company_ids=[self.company_2.id, self.company.id])
        self.assertEqual(data["currency"]["id"], self.eur.id)
        rate = self.company.currency_id._convert(
            1.0, self.eur, self.company_2, date.fromisoformat(TODAY), round=False
        )
        self.assertAlmostEqual(
            self._figures(data)["receivable"], 2200.0 * rate + 700.0, places=2
        )

    @freeze_time(TODAY)
    def test_counts(self):
        with freeze_time("2026-06-12"):
            self.customer.with_user(self.collector).credit_record_promise(
                "2026-06-19", amount=250.0, invoice_ids=self.inv_partial.ids
            )
            self.other.with_user(self.collector).credit_record_promise(
                "2026-06-24", amount=800.0
            )
        self.inv_partial.with_user(self.collector)._dunning_set_dispute("price")
        self._set_flags(self.other, credit_hold=True, cash_only=True)
        order = self._order(self.customer, 100)
        order.sudo().write({"credit_blocked": True})
        level = self.env.ref("credit_dunning.credit_dunning_policy_default").level_ids[
            0
        ]
        self.env["credit.dunning.communication"].sudo().create(
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": level.id,
                    "date": TODAY,
                    "state": state,
                }
                for state in ("failed", "attention", "to_print", "sent")
            ]
        )
        data = self._cockpit(company_ids=[self.company.id])
        figures = self._figures(data)
        self.assertAlmostEqual(figures["promises_open"], 1050.0, places=2)
        self.assertAlmostEqual(figures["promises_week"], 250.0, places=2)
        self.assertAlmostEqual(figures["disputed"], 300.0, places=2)
        self.assertEqual(figures["on_hold"], 1)
        self.assertEqual(figures["cash_only"], 1)
        self.assertEqual(figures["blocked_orders"], 1)
        self.assertEqual(figures["failed_reminders"], 2)
        self.assertEqual(figures["letters_to_print"], 1)
        # each figure opens the records it counts
        actions = {f["key"]: f["action"] for f in data["figures"]}
        as_manager = self.env(user=self.credit_manager)
        for key, count in (
            ("promises_open", 2),
            ("promises_week", 1),
            ("disputed", 1),
            ("on_hold", 1),
            ("cash_only", 1),
            ("blocked_orders", 1),
            ("failed_reminders", 2),
            ("letters_to_print", 1),
        ):
            action = actions[key]
            found = as_manager[action["res_model"]].search_count(action["domain"])
            self.assertEqual(found, count, key)

    @freeze_time(TODAY)
    def test_ledger_as_of(self):
        Snapshot = self.env["credit.dunning.snapshot"]
        days = [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
        days += [date(2026, 6, 4), date(2026, 6, 5)]
        ledger = Snapshot._ledger_figures(self.company.ids, days)

        def figures(day):
            values = ledger[self.company.id, day]
            return (
                round(values["receivable"], 2),
                round(values["overdue"], 2),
                round(values["not_due"], 2),
            )

        # 03-31: 400 EUR (200), Martin 800 and 300 (paid 04-20) open
        self.assertEqual(figures(days[0]), (1300.0, 200.0, 1100.0))
        self.assertEqual(figures(days[1]), (1000.0, 1000.0, 0.0))
        self.assertEqual(figures(days[2]), (1400.0, 900.0, 500.0))
        # the partial payment of 06-05 counts from that day on
        self.assertEqual(figures(days[3])[0], 1400.0)
        self.assertEqual(figures(days[4])[0], 1200.0)
        # DSO at 05-31: -100 (05-10), 500 (05-01), 300 (03-20) then 700 of
        # the 800 of 03-10, 82 days back
        self.assertAlmostEqual(
            ledger[self.company.id, days[2]]["dso"], 82 + 700 / 800, places=4
        )

    @freeze_time(TODAY)
    def test_daily_snapshot_and_trend(self):
        Snapshot = self.env["credit.dunning.snapshot"]
        Snapshot.sudo().search([]).unlink()
        for _twice in range(2):  # twice the same day: still one row
            # the cron commits batch by batch: in a cursor whose commit works
            with self.enter_registry_test_mode(), self.registry.cursor() as cr:
                self.env(cr=cr)["credit.dunning.run"]._cron_run()
        rows = Snapshot.sudo().search([("company_id", "=", self.company.id)])
        self.assertEqual(len(rows.filtered(lambda s: str(s.date) == TODAY)), 1)
        # the month-ends since the first invoice (January), from the ledger
        self.assertEqual(
            sorted(str(day) for day in rows.mapped("date")),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]
            + [TODAY],
        )
        may = rows.filtered(lambda s: str(s.date) == "2026-05-31")
        self.assertAlmostEqual(may.overdue, 900.0, places=2)
        trend = self._cockpit(company_ids=[self.company.id])["trend"]
        by_month = {point["month"]: point for point in trend}
        self.assertAlmostEqual(by_month["2026-05"]["overdue"], 900.0, places=2)
        self.assertAlmostEqual(by_month["2026-05"]["dso"], 82 + 700 / 800, places=4)
        self.assertAlmostEqual(by_month["2026-04"]["overdue"], 1000.0, places=2)
        # before the first invoice there is no data: a gap, not a zero
        self.assertIsNone(by_month["2025-07"]["overdue"])
        self.assertIsNone(by_month["2025-07"]["dso"])
        # January: the 600 of 01-05, 21 days of sales
        self.assertAlmostEqual(by_month["2026-01"]["dso"], 27.0, places=4)
        self.assertAlmostEqual(by_month["2026-06"]["overdue"], 1200.0, places=2)
        # the trend reads the snapshot, not the ledger, once it is taken
        may.sudo().write({"overdue": 999.0})
        trend = self._cockpit(company_ids=[self.company.id])["trend"]
        self.assertAlmostEqual(trend[-2]["overdue"], 999.0, places=2)

    @freeze_time(TODAY)
    def test_same_queries_for_10_and_50_invoices(self):
        def count_queries():
            for _warm in range(2):  # the registry's caches, not the records'
                self._cockpit(company_ids=[self.company.id])
                self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._cockpit(company_ids=[self.company.id])
            return self.env.cr.sql_log_count - before

        self._make_invoices(10)
        with_10 = count_queries()
        self._make_invoices(40)
        with_50 = count_queries()
        # the cockpit's own queries do not grow with the invoices; one ORM
        # read of the current user's partner (name, email) falls in either
        # measure depending on what the other tests left in the cache
        self.assertLessEqual(abs(with_50 - with_10), 1)
        # 15, and 2 for the alert of missing reference rates (one grouped
        # query of the late invoices, one read of the rates)
        self.assertLessEqual(with_50, 17)

    def _make_invoices(self, count):
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": (self.customer if n % 2 else self.other).id,
                    "invoice_date": "2026-05-01",
                    "invoice_date_due": "2026-05-20",
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Goods", "price_unit": 10.0 + n, "tax_ids": []}
                        )
                    ],
                }
                for n in range(count)
            ]
        )
        moves.action_post()


@tagged("post_install", "-at_install")
class TestCockpitRights(CockpitCommon):
    @freeze_time(TODAY)
    def test_who_reads_the_figures(self):
        self.assertTrue(self._cockpit(self.collector)["figures"])
        self.assertTrue(self._cockpit(self.credit_manager)["figures"])
        portal = new_test_user(self.env, login="cd_portal", groups="base.group_portal")
        for user in (self.salesman, self.internal_user, portal):
            with self.assertRaises(AccessError, msg=user.login):
                self._cockpit(user)
        for user in (self.internal_user, portal):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["credit.cockpit"].with_user(user).get_worklist("mine")
        for user in (self.salesman, self.collector):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["credit.cockpit"].with_user(user).get_worklist("all")

    @freeze_time(TODAY)
    def test_only_allowed_companies(self):
        user_a = new_test_user(
            self.env,
            login="cd_collector_a",
            groups="credit_dunning.group_credit_control_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            self._cockpit(user_a, company_ids=[self.company_2.id])
        figures = self._figures(self._cockpit(user_a))
        self.assertAlmostEqual(figures["receivable"], 2200.0, places=2)


@tagged("post_install", "-at_install")
class TestWorklist(CockpitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_limit = 1000.0
        Promise = cls.env["credit.dunning.promise"]
        with freeze_time("2026-06-10"):
            cls.promise_due = Promise.browse(
                cls.customer.credit_record_promise(
                    "2026-06-15", amount=300.0, invoice_ids=cls.inv_partial.ids
                )
            )
        with freeze_time("2026-05-20"):
            cls.promise_broken = Promise.browse(
                cls.other.credit_record_promise(
                    "2026-06-01", amount=800.0, invoice_ids=cls.inv_martin.ids
                )
            )
        cls.promise_broken.sudo().state = "broken"
        cls.inv_foreign._dunning_set_dispute("quality")
        cls.order = cls._order(cls.customer, 100)
        cls.order.sudo().write(
            {"credit_blocked": True, "credit_block_reason": "Over the limit"}
        )
        level = cls.env.ref("credit_dunning.credit_dunning_policy_default").level_ids[0]
        cls.failed = (
            cls.env["credit.dunning.communication"]
            .sudo()
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "level_id": level.id,
                    "date": "2026-06-14",
                    "state": "failed",
                    "error": "No email address",
                }
            )
        )
        cls.call = cls.failed._schedule(
            "mail.mail_activity_data_call",
            cls.collector,
            "Call Dupont",
            note="Overdue",
            deadline=date(2026, 6, 15),
        )
        cls.escalation = cls.failed._schedule(
            "credit_dunning.mail_activity_type_dunning_escalation",
            cls.salesman,
            "Step in",
            note="Overdue",
            deadline=date(2026, 6, 10),
        )

    def _worklist(self, user, scope="mine"):
        data = self.env["credit.cockpit"].with_user(user).get_worklist(scope)
        return data, {section["key"]: section for section in data["sections"]}

    TASKS = [
        "calls",
        "plans",
        "promises",
        "disputes_todo",
        "escalations",
        "legal",
        "claims_to_declare",
        "blocked",
        "reviews",
        "reminders",
        "other",
    ]

    @freeze_time(TODAY)
    def test_collector(self):
        data, sections = self._worklist(self.collector)
        self.assertEqual(data["scope"], "mine")
        self.assertFalse(data["can_see_all"])
        self.assertEqual(
            list(sections),
            [
                *self.TASKS,
                "promises_due_today",
                "promises_broken",
                "disputes",
                "plans_requested",
                "orders_to_approve",
                "failed_reminders",
                "over_limit_today",
                "escalations_unanswered",
            ],
        )
        self.assertEqual(
            {s["group"] for s in data["sections"] if s["key"] in self.TASKS}, {"tasks"}
        )
        self.assertEqual(
            self._ids(sections["calls"]), [f"mail.activity,{self.call.id}"]
        )
        call = sections["calls"]["lines"][0]
        self.assertEqual(call["partner"], self.customer.display_name)
        self.assertEqual(call["date"], "2026-06-15")
        self.assertFalse(call["late"])
        self.assertEqual(
            (call["action"]["res_model"], call["action"]["res_id"]),
            ("credit.dunning.communication", self.failed.id),
        )
        # every task of the collector, one line each
        self.assertEqual(
            sorted(self._task_ids(data)),
            sorted(
                f"mail.activity,{a.id}"
                for a in self.env["mail.activity"].search(
                    [("user_id", "=", self.collector.id)]
                )
            ),
        )
        self.assertEqual(
            self._ids(sections["promises_due_today"]),
            [f"credit.dunning.promise,{self.promise_due.id}"],
        )
        # Martin is not the collector's customer
        self.assertEqual(sections["promises_broken"]["count"], 0)
        self.assertEqual(
            self._ids(sections["disputes"]), [f"account.move,{self.inv_foreign.id}"]
        )
        self.assertEqual(
            self._ids(sections["orders_to_approve"]), [f"sale.order,{self.order.id}"]
        )
        self.assertEqual(
            self._ids(sections["failed_reminders"]),
            [f"credit.dunning.communication,{self.failed.id}"],
        )
        self.assertEqual(
            self._ids(sections["over_limit_today"]), [f"res.partner,{self.customer.id}"]
        )
        # the salesperson's escalation past its deadline: the collector follows
        # it up, it is not his task
        self.assertEqual(
            self._ids(sections["escalations_unanswered"]),
            [f"mail.activity,{self.escalation.id}"],
        )
        self.assertEqual(sections["escalations"]["count"], 0)

    def _ids(self, section):
        self.assertEqual(section["count"], len(section["lines"]))
        return [line["id"] for line in section["lines"]]

    def _task_ids(self, data):
        return [
            line["id"]
            for section in data["sections"]
            if section["group"] == "tasks"
            for line in section["lines"]
        ]

    @freeze_time(TODAY)
    def test_manager_sees_all(self):
        data, sections = self._worklist(self.credit_manager, "all")
        self.assertTrue(data["can_see_all"])
        self.assertEqual(
            self._ids(sections["promises_broken"]),
            [f"credit.dunning.promise,{self.promise_broken.id}"],
        )
        self.assertEqual(
            self._ids(sections["calls"]), [f"mail.activity,{self.call.id}"]
        )
        # everyone's tasks, with whose they are
        self.assertEqual(
            self._ids(sections["escalations"]), [f"mail.activity,{self.escalation.id}"]
        )
        self.assertIn(self.salesman.name, sections["escalations"]["lines"][0]["note"])
        self.assertTrue(sections["escalations"]["lines"][0]["late"])

    @freeze_time(TODAY)
    def test_salesperson_sees_own_customers(self):
        data, sections = self._worklist(self.salesman)
        self.assertFalse(data["can_see_all"])
        # no dispute or reminder to fix: credit control's own work
        self.assertEqual(
            list(sections),
            [
                *self.TASKS,
                "promises_due_today",
                "promises_broken",
                "orders_to_approve",
                "over_limit_today",
            ],
        )
        self.assertEqual(sections["promises_due_today"]["count"], 1)
        self.assertEqual(sections["promises_broken"]["count"], 0)
        self.assertEqual(sections["orders_to_approve"]["count"], 1)
        # their escalation is their task
        self.assertEqual(
            self._ids(sections["escalations"]),
            [f"mail.activity,{self.escalation.id}"],
        )
        _data, theirs = self._worklist(self.other_salesman)
        self.assertEqual(
            self._ids(theirs["promises_broken"]),
            [f"credit.dunning.promise,{self.promise_broken.id}"],
        )
        self.assertEqual(theirs["promises_due_today"]["count"], 0)
        self.assertEqual(theirs["escalations"]["count"], 0)

    @freeze_time(TODAY)
    def test_over_limit_since_today_only(self):
        Snapshot = self.env["credit.dunning.snapshot"].sudo()
        with freeze_time("2026-06-14"):
            Snapshot._take_snapshots(self.company)
        _data, sections = self._worklist(self.collector)
        # already over its limit yesterday: not new today
        self.assertEqual(sections["over_limit_today"]["count"], 0)


@tagged("post_install", "-at_install")
class TestWorklistTasks(CreditDunningCommon):
    """Every task the ladder's runs and a customer's plan request create is in
    its assignee's worklist, one line per activity, and the plan reaches a
    credit manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_collector_id = cls.collector
        cls.Activity = cls.env["mail.activity"]
        cls.first_id = cls.Activity.search([], order="id desc", limit=1).id or 0

    def _new_activities(self, user):
        return self.Activity.search(
            [("user_id", "=", user.id), ("id", ">", self.first_id)]
        )

    def _task_lines(self, user):
        data = self.env["credit.cockpit"].with_user(user).get_worklist("mine")
        return {
            line["id"]: (section["key"], line)
            for section in data["sections"]
            if section["group"] == "tasks"
            for line in section["lines"]
        }, {section["key"]: section for section in data["sections"]}

    def test_run_and_plan_request_tasks_match_the_activities(self):
        invoice = self._invoice(self.customer, 1000, "2026-03-01", due="2026-03-31")
        Run = self.env["credit.dunning.run"].sudo()
        # the ladder's days: reminder, call, escalation, hold, notice, legal
        for day in (
            "2026-04-05",
            "2026-04-07",
            "2026-04-08",
            "2026-04-15",
            "2026-04-30",
            "2026-05-15",
        ):
            with freeze_time(day):
                Run._run_now(self.company)
        with freeze_time("2026-05-16"):
            access = self.env["credit.dunning.access"]._ensure_for(
                self.customer, self.company
            )[self.customer.id]
            plan = access._portal_request_plan(
                invoice.ids,
                [
                    {"date": "2026-05-30", "amount": 500},
                    {"date": "2026-06-30", "amount": 500},
                ],
            )
            invoice._dunning_set_dispute("quality")
            managers = self.env["res.partner"]._credit_managers(self.company)
            decider = plan.activity_ids.user_id
            self.assertEqual(len(decider), 1)
            self.assertIn(decider, managers)
            kinds = {}
            for user in (self.collector, self.salesman, decider):
                lines, sections = self._task_lines(user)
                activities = self._new_activities(user)
                self.assertTrue(activities, user.login)
                # one for one: every new activity of the user has its line
                self.assertEqual(
                    {f"mail.activity,{a.id}" for a in activities},
                    {key for key in lines if int(key.split(",")[1]) > self.first_id},
                    user.login,
                )
                for activity in activities:
                    kind, line = lines[f"mail.activity,{activity.id}"]
                    kinds.setdefault(user, set()).add(kind)
                    self.assertEqual(line["date"], str(activity.date_deadline))
                    self.assertEqual(line["partner"], self.customer.display_name)
            self.assertTrue({"calls", "legal"} <= kinds[self.collector])
            self.assertIn("escalations", kinds[self.salesman])
            self.assertIn("plans", kinds[decider])
            # the collector knows the plan waits for a manager; the dispute
            # is something to follow, not a task
            _lines, sections = self._task_lines(self.collector)
            self.assertEqual(
                [line["id"] for line in sections["plans_requested"]["lines"]],
                [f"credit.dunning.plan,{plan.id}"],
            )
            self.assertEqual(sections["disputes"]["group"], "follow")
            self.assertEqual(sections["disputes"]["count"], 1)
            if decider != self.collector:
                self.assertEqual(sections["plans"]["count"], 0)

import statistics
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditDunningCommon

TODAY = "2026-06-15"


class BehaviourCommon(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Behaviour = cls.env["credit.payment.behaviour"]
        cls.segments = cls.env["credit.segment"]._segments_by_code(cls.company)
        cls.company.write(
            {
                "credit_behaviour_window_months": 12,
                "credit_segment_min_paid": 3,
                "credit_segment_late_days": 10.0,
                "credit_segment_variable_days": 15.0,
            }
        )

    @classmethod
    def _paid_invoice(cls, partner, amount, invoice_date, due, payments):
        """An invoice paid by ``payments`` [(amount, date)] (the last one
        settles it)."""
        invoice = cls._invoice(partner, amount, invoice_date, due=due)
        for pay_amount, pay_date in payments:
            cls._pay(invoice, amount=pay_amount, pay_date=date.fromisoformat(pay_date))
        return invoice

    def _compute(self, day=TODAY, partners=None):
        with freeze_time(day):
            self.Behaviour.sudo()._compute_for_company(
                self.company, partner_ids=partners.ids if partners else None
            )

    def _dispute(self, invoice, raised, resolved=None):
        """The collector disputes ``invoice`` on ``raised`` and resolves the
        dispute on ``resolved``."""
        invoice = invoice.with_user(self.collector)
        with freeze_time(raised):
            invoice._dunning_set_dispute("Wrong quantity")
        if resolved:
            with freeze_time(resolved):
                invoice.action_dunning_resolve_dispute()
            self.assertFalse(invoice.dunning_dispute)

    def _behaviour(self, partner):
        return self.Behaviour.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )


@tagged("post_install", "-at_install")
class TestPaymentBehaviour(BehaviourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # (amount, invoice date, due date, payments); the paid date is the
        # date of the last payment
        cls.history = [
            # paid before the window (2025-06-15 excluded): not counted
            (1000.0, "2025-03-01", "2025-03-31", [(1000.0, "2025-06-10")]),
            (1000.0, "2025-07-01", "2025-07-31", [(1000.0, "2025-07-25")]),
            (2000.0, "2025-09-01", "2025-10-01", [(2000.0, "2025-10-21")]),
            (
                500.0,
                "2025-11-10",
                "2025-12-10",
                [(200.0, "2025-12-01"), (300.0, "2026-01-09")],
            ),
            (1500.0, "2026-03-01", "2026-03-31", [(1500.0, "2026-04-05")]),
        ]
        for amount, invoice_date, due, payments in cls.history:
            cls._paid_invoice(cls.customer, amount, invoice_date, due, payments)
        # open: two overdue (800, and 300 partly paid: 250 owed), one not due
        cls.open_800 = cls._invoice(cls.customer, 800.0, "2026-04-01", due="2026-05-01")
        cls.open_300 = cls._invoice(cls.customer, 300.0, "2026-05-01", due="2026-05-31")
        cls._pay(cls.open_300, amount=50.0, pay_date=date(2026, 6, 1))
        cls._invoice(cls.customer, 5000.0, "2026-06-10", due="2026-07-10")
        # another customer's invoices never mix in
        cls.other = cls._make_customer("Bernard Frères", "bernard@example.com")
        cls._paid_invoice(
            cls.other, 9999.0, "2025-08-01", "2025-08-31", [(9999.0, "2025-12-31")]
        )

    def _expected(self, today):
        """The figures computed in plain Python from the invoices made."""
        today = date.fromisoformat(today)
        start = date(today.year - 1, today.month, today.day)
        paid = []
        for amount, invoice_date, due, payments in self.history:
            paid_on = max(date.fromisoformat(d) for _a, d in payments)
            if start < paid_on <= today:
                paid.append(
                    (
                        amount,
                        date.fromisoformat(invoice_date),
                        date.fromisoformat(due),
                        paid_on,
                    )
                )
        late = [max((p - d).days, 0) for _a, _i, d, p in paid]
        total = sum(a for a, *_rest in paid)
        return {
            "invoices_paid": len(paid),
            "on_time_rate": round(
                100.0 * sum(1 for _a, _i, d, p in paid if p <= d) / len(paid), 2
            ),
            "avg_days_late": round(
                sum(a * x for (a, *_rest), x in zip(paid, late, strict=True)) / total,
                2,
            ),
            "days_late_stddev": round(statistics.pstdev(late), 2),
            "avg_days_to_pay": round(
                statistics.mean((p - i).days for _a, i, _d, p in paid), 2
            ),
            "months": {
                p.strftime("%Y-%m"): (x, a)
                for (a, _i, _d, p), x in zip(paid, late, strict=True)
            },
        }

    def test_figures_against_an_independent_computation(self):
        self._compute()
        row = self._behaviour(self.customer)
        expected = self._expected(TODAY)
        self.assertEqual(row.invoices_paid, expected["invoices_paid"])
        self.assertEqual(row.invoices_paid, 4)  # the one of June 2025 is out
        self.assertAlmostEqual(row.on_time_rate, expected["on_time_rate"], places=2)
        self.assertAlmostEqual(row.on_time_rate, 25.0, places=2)
        # (0 x 1000 + 20 x 2000 + 30 x 500 + 5 x 1500) / 5000
        self.assertAlmostEqual(row.avg_days_late, expected["avg_days_late"], places=2)
        self.assertAlmostEqual(row.avg_days_late, 12.5, places=2)
        self.assertAlmostEqual(
            row.days_late_stddev, expected["days_late_stddev"], places=2
        )
        self.assertAlmostEqual(
            row.avg_days_to_pay, expected["avg_days_to_pay"], places=2
        )
        # the largest amount still owed past due, to the cent
        self.assertAlmostEqual(row.largest_overdue, 800.0, places=2)
        self.assertEqual(row.broken_promises, 0)
        self.assertEqual(row.disputes, 0)
        self.assertFalse(row.hold_reached)
        # twelve months, July 2025 to June 2026
        history = row.monthly_history
        self.assertEqual(len(history), 12)
        self.assertEqual(history[0]["month"], "2025-07")
        self.assertEqual(history[-1]["month"], "2026-06")
        for point in history:
            days_late, amount = expected["months"].get(point["month"], (0.0, 0.0))
            self.assertAlmostEqual(point["days_late"], days_late, places=2)
            self.assertAlmostEqual(point["amount"], amount, places=2)
        # four payments of 4 paid invoices: late on average, but 12.5 > 10
        self.assertEqual(row.segment_id, self.segments["late"])
        self.assertEqual(
            self.customer.with_user(self.collector).credit_segment_id,
            self.segments["late"],
        )
        # the other customer's figures are its own
        other = self._behaviour(self.other)
        self.assertEqual(other.invoices_paid, 1)
        self.assertEqual(other.segment_id, self.segments["new"])

    def test_window_rolls(self):
        # two months later, the invoice paid in July 2025 has left the window
        self._compute("2026-08-15")
        row = self._behaviour(self.customer)
        expected = self._expected("2026-08-15")
        self.assertEqual(row.invoices_paid, 3)
        self.assertAlmostEqual(row.avg_days_late, expected["avg_days_late"], places=2)
        self.assertEqual(row.monthly_history[0]["month"], "2025-09")
        # a shorter window (company setting): only the payment of April
        self.company.credit_behaviour_window_months = 3
        self._compute("2026-06-15")
        self.assertEqual(self._behaviour(self.customer).invoices_paid, 1)

    def test_promises_and_disputes_in_the_window(self):
        Promise = self.env["credit.dunning.promise"].sudo()
        for promised, state in (
            ("2026-05-10", "broken"),  # broken in the window
            ("2025-03-01", "broken"),  # broken before it
            ("2026-05-20", "kept"),
        ):
            with freeze_time("2025-01-01"):  # recorded before the date
                promise = Promise.create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "move_ids": [(6, 0, self.open_800.ids)],
                        "date": promised,
                        "amount": 100.0,
                    }
                )
            promise.state = state
        self._dispute(self.open_300, "2026-06-01")
        self._compute()
        row = self._behaviour(self.customer)
        self.assertEqual(row.broken_promises, 1)
        self.assertEqual(row.disputes, 1)
        # a broken promise puts the customer at risk, and the chatter says why
        self.assertEqual(row.segment_id, self.segments["at_risk"])
        note = self.customer.message_ids[:1]
        self.assertIn("Payment segment: - → At Risk", note.body)
        self.assertIn("1 broken promise(s) in 12 months", note.body)
        # resolved, the dispute still counts in the window
        with freeze_time("2026-06-05"):
            self.open_300.with_user(self.collector).action_dunning_resolve_dispute()
        self.assertFalse(self.open_300.dunning_dispute)
        self._compute()
        self.assertEqual(self._behaviour(self.customer).disputes, 1)
        # a year later it has left the window
        self._compute("2027-06-02")
        self.assertEqual(self._behaviour(self.customer).disputes, 0)

    def test_disputes_raised_and_resolved(self):
        """A dispute counts when it was raised in the window, even resolved;
        one raised and resolved before the window does not; one still open
        counts whenever it was raised."""
        in_window = self._make_customer("Chantal Dubois", "chantal@example.com")
        invoice = self._invoice(in_window, 400.0, "2026-02-01", due="2026-03-03")
        self._dispute(invoice, "2026-03-02", resolved="2026-03-20")
        before = self._make_customer("Denis Roux", "denis@example.com")
        invoice = self._invoice(before, 400.0, "2025-03-01", due="2025-03-31")
        self._dispute(invoice, "2025-04-01", resolved="2025-05-01")
        still_open = self._make_customer("Émile Faure", "emile@example.com")
        invoice = self._invoice(still_open, 400.0, "2025-03-01", due="2025-03-31")
        self._dispute(invoice, "2025-04-01")
        self._compute(partners=in_window | before | still_open)
        self.assertEqual(self._behaviour(in_window).disputes, 1)
        self.assertEqual(self._behaviour(before).disputes, 0)
        self.assertEqual(self._behaviour(still_open).disputes, 1)
        # the day is the credit team's record: an accountant cannot move it
        billing = new_test_user(
            self.env,
            login="cd_billing_behaviour",
            groups="account.group_account_invoice",
        )
        with self.assertRaises(AccessError):
            invoice.with_user(billing).write({"dunning_dispute_date": "2026-06-01"})

    def test_dispute_days_from_the_chatter(self):
        """A database updated to this version dates the disputes raised
        before from the chatter's tracking of the invoices."""
        field = self.env["ir.model.fields"]._get("account.move", "dunning_dispute")
        invoice = self.open_800.sudo()
        for day, value in (("2025-09-01", 1), ("2025-09-20", 0), ("2026-03-02", 1)):
            with freeze_time(day):
                invoice._message_log(
                    tracking_value_ids=[
                        Command.create(
                            {
                                "field_id": field.id,
                                "old_value_integer": 1 - value,
                                "new_value_integer": value,
                            }
                        )
                    ]
                )
        self.env.flush_all()
        self.env["account.move"]._dunning_dispute_date_from_tracking()
        self.assertEqual(str(self.open_800.dunning_dispute_date), "2026-03-02")
        # a day already recorded stays
        self.open_300.sudo().dunning_dispute_date = "2026-05-05"
        self.open_300.sudo()._message_log(
            tracking_value_ids=[
                Command.create(
                    {
                        "field_id": field.id,
                        "old_value_integer": 0,
                        "new_value_integer": 1,
                    }
                )
            ]
        )
        self.env.flush_all()
        self.env["account.move"]._dunning_dispute_date_from_tracking()
        self.assertEqual(str(self.open_300.dunning_dispute_date), "2026-05-05")
        # the undisputed invoices have none
        self.assertFalse(any(self.other.invoice_ids.mapped("dunning_dispute_date")))
        self._compute()
        self.assertEqual(self._behaviour(self.customer).disputes, 2)

    def test_rights(self):
        portal = new_test_user(
            self.env, login="cd_portal_behaviour", groups="base.group_portal"
        )
        for user in (self.salesman, portal):
            partner = self.customer.with_user(user)
            with self.assertRaises(AccessError):
                partner.action_credit_behaviour_refresh()
            with self.assertRaises(AccessError):
                partner.credit_payment_behaviour_get()
            with self.assertRaises(AccessError):
                self.Behaviour.with_user(user).search([])
        # a collector recomputes and reads
        with freeze_time(TODAY):
            self.customer.with_user(self.collector).action_credit_behaviour_refresh()
        figures = self.customer.with_user(
            self.collector
        ).credit_payment_behaviour_get()[self.customer.id]
        self.assertEqual(figures["invoices_paid"], 4)
        self.assertEqual(figures["segment"], "late")
        self.assertEqual(len(figures["monthly_history"]), 12)
        # but never writes the figures
        with self.assertRaises(AccessError):
            self._behaviour(self.customer).with_user(self.collector).write(
                {"invoices_paid": 99}
            )

    @freeze_time(TODAY)
    def test_nightly_cron(self):
        # the cron commits batch by batch: in a cursor whose commit works
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.env(cr=cr)["credit.dunning.run"]._cron_run()
        row = self._behaviour(self.customer)
        self.assertEqual(row.invoices_paid, 4)
        self.assertEqual(str(row.date), TODAY)

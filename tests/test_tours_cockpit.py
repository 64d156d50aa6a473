from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..late_payment import penalties
from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestCockpitTours(CreditDunningCommon, HttpCase):
    """What a collector and a salesperson see on the cockpit and the worklist
    (static/tests/tours/credit_cockpit.js).

    The browser runs on the real clock: the dates are set relative to today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.customer.credit_collector_id = cls.collector
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.escalation_type = cls.env.ref(
            "credit_dunning.mail_activity_type_dunning_escalation"
        )

    @classmethod
    def _days(cls, days):
        return cls.today + timedelta(days=days)

    def _run_ladder(self, *days):
        """The daily runs of the dunning ladder on the given days."""
        Run = self.env["credit.dunning.run"].sudo()
        for day in days:
            with freeze_time(day):
                Run._run_now(self.company)

    def _activities(self, activity_type, partner):
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "credit.dunning.communication"),
                (
                    "res_id",
                    "in",
                    self.env["credit.dunning.communication"]
                    .search([("partner_id", "=", partner.id)])
                    .ids,
                ),
            ]
        )

    def test_collector_starts_the_day_on_the_cockpit(self):
        # Dupont Industrie is 7 days late: the first reminder went 2 days ago,
        # today's run asks the collector to call
        self._invoice(self.customer, 1000, self._days(-37), due=self._days(-7))
        self._run_ladder(self._days(-2), self.today)
        call = self._activities(self.call_type, self.customer)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.collector)
        self.assertEqual(call.date_deadline, self.today)
        # after the runs, which would have dunned them too: 40 days late, and
        # not due yet
        bernard = self._make_customer("Bernard Frères", "bernard@example.com")
        self._invoice(bernard, 500, self._days(-70), due=self._days(-40))
        claude = self._make_customer("Claude Négoce", "claude@example.com")
        self._invoice(claude, 300, self._days(-20), due=self._days(10))

        self.start_tour("/odoo", "credit_cockpit_collector", login=self.collector.login)
        # reading the cockpit changes nothing: the call is still to make
        self.env.invalidate_all()
        self.assertTrue(call.exists())
        self.assertEqual(call.date_deadline, self.today)

    def test_salesperson_sees_only_their_customers(self):
        lambert = self._make_customer(
            "Lambert Bâtiment", "lambert@example.com", salesman=self.other_salesman
        )
        for partner in (self.customer, lambert):
            self._invoice(partner, 1000, self._days(-50), due=self._days(-20))
        # the ladder's runs: first reminder, phone call, then the escalation
        self._run_ladder(self._days(-15), self._days(-13), self._days(-12))
        for partner, salesperson in (
            (self.customer, self.salesman),
            (lambert, self.other_salesman),
        ):
            escalation = self._activities(self.escalation_type, partner)
            self.assertEqual(escalation.user_id, salesperson)
            self.assertLess(escalation.date_deadline, self.today)

        self.start_tour(
            "/odoo/credit-worklist",
            "credit_cockpit_salesperson",
            login=self.salesman.login,
        )

    def test_collector_before_the_first_invoice(self):
        self.start_tour(
            "/odoo/credit-cockpit", "credit_cockpit_empty", login=self.collector.login
        )

    def test_credit_manager_is_told_which_rate_to_add(self):
        """A half-year with late open invoices has no reference rate: the
        cockpit says which, and leads to the rates, where the manager adds it.
        """
        half_year = penalties.half_year_start(self._days(-200))
        Rate = self.env["credit.reference.rate"].sudo()
        Rate.search(
            [("date_from", "in", [half_year, penalties.half_year_start(self.today)])]
        ).unlink()
        self._invoice(self.customer, 1000, self._days(-230), due=self._days(-200))
        message = self.company._credit_missing_rate_message()
        label = f"{half_year.year} H{1 if half_year.month == 1 else 2}"
        self.assertIn(f"no reference rate for {label}", message)
        self.assertIn("1 late invoice(s)", message)
        self.start_tour(
            "/odoo/credit-cockpit",
            "credit_cockpit_rate_missing",
            login=self.credit_manager.login,
        )
        # the rate the tour added silences the alert for that half-year
        message = self.company._credit_missing_rate_message() or ""
        self.assertNotIn(label, message)
        self.assertEqual(
            Rate.search([("date_from", "=", half_year)]).rate,
            3.15,
        )

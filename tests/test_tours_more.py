from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestCreditMoreTours(CreditDunningCommon, HttpCase):
    """What a collector, a credit manager and a salesperson do in the browser
    with the dunning run, the import of credit limits and an escalation
    (static/tests/tours/credit_more_*.js).

    The browser runs on the real clock: the dates are set relative to today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.customer.credit_collector_id = cls.collector
        cls.Comm = cls.env["credit.dunning.communication"]

    @classmethod
    def _days(cls, days):
        return cls.today + timedelta(days=days)

    def test_collector_previews_then_runs_the_dunning(self):
        # six days late: the first reminder (5 days) is due, the call (7) not yet
        invoice = self._invoice(
            self.customer, 1000, self._days(-36), due=self._days(-6)
        )
        self.start_tour("/odoo", "credit_more_run_preview", login=self.collector.login)
        self.env.invalidate_all()
        run = self.env["credit.dunning.run"].search([])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.user_id, self.collector)
        reminder = self.Comm.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.run_id, run)
        self.assertEqual(reminder.level_id.offset_days, 5)
        self.assertEqual(reminder.line_ids.move_id, invoice)

    def test_collector_sees_first_contact_then_runs_the_dunning(self):
        """A customer never reminded, 55 days late: the days alone reach the
        cash-only / legal level, but the first contact is the first reminder,
        as the preview says (static/tests/tours/credit_first_contact.js)."""
        invoice = self._invoice(
            self.customer, 800, self._days(-85), due=self._days(-55)
        )
        first = self.env.ref("credit_dunning.credit_dunning_level_first_reminder")
        self.start_tour("/odoo", "credit_first_contact", login=self.collector.login)
        self.env.invalidate_all()
        run = self.env["credit.dunning.run"].search([])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.user_id, self.collector)
        reminder = self.Comm.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.run_id, run)
        self.assertEqual(reminder.level_id, first, "the first reminder, nothing else")
        self.assertFalse(reminder.level_id.formal_notice)
        self.assertFalse(reminder.level_id.set_credit_hold)
        self.assertEqual(reminder.line_ids.move_id, invoice)
        self.assertEqual(invoice.dunning_level_id, first)
        self.assertFalse(self.customer.credit_hold, "a first contact never holds")
        self.assertFalse(self.customer.cash_only)
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids)]
        )
        self.assertEqual(len(mails), 1)
        self.assertNotIn("Formal notice", mails.subject)

    def test_credit_manager_imports_credit_limits(self):
        self.customer.write({"ref": "DUP01", "credit_limit": 1000})
        self.customer._credit_set_flags("Paid late twice", cash_only=True)
        self.start_tour("/odoo", "credit_more_import", login=self.credit_manager.login)
        self.env.invalidate_all()
        self.assertAlmostEqual(self.customer.credit_limit, 5000)
        self.assertTrue(self.customer.cash_only, "the file has no cash-only column")
        self.assertEqual(self.customer.cash_only_reason, "Paid late twice")
        self.assertFalse(self.customer.credit_hold)

    def test_salesperson_follows_the_escalation(self):
        invoice = self._invoice(
            self.customer, 1000, self._days(-50), due=self._days(-20)
        )
        Run = self.env["credit.dunning.run"].sudo()
        # the ladder's runs: first reminder, phone call, then the escalation
        for late in (5, 7, 8):
            with freeze_time(invoice.invoice_date_due + timedelta(days=late)):
                Run._run_now(self.company)
        escalation_type = self.env.ref(
            "credit_dunning.mail_activity_type_dunning_escalation"
        )
        activity = self.env["mail.activity"].search(
            [("activity_type_id", "=", escalation_type.id)]
        )
        self.assertEqual(len(activity), 1)
        self.assertLess(activity.date_deadline, self.today)
        self.start_tour("/odoo", "credit_more_escalation", login=self.salesman.login)
        self.env.invalidate_all()
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.res_model, "credit.dunning.communication")
        reminder = self.Comm.browse(activity.res_id)
        self.assertEqual(reminder.partner_id, self.customer)
        self.assertTrue(reminder.level_id.create_escalation_activity)

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestCreditControlTours(CreditDunningCommon, HttpCase):
    """What a credit manager and a collector do in the browser with the credit
    control screens (static/tests/tours/credit_control_*.js).

    The browser runs on the real clock, not a frozen one: the dates are set
    relative to today so that what it shows (days overdue, a promised date
    to come) is what the server computes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.customer.credit_collector_id = cls.collector
        cls.levels = {
            level.offset_days: level
            for level in cls.env.ref(
                "credit_dunning.credit_dunning_policy_default"
            ).level_ids
        }

    @classmethod
    def _days(cls, days):
        return cls.today + timedelta(days=days)

    @classmethod
    def _reminder(cls, partner, invoices, level, state):
        """A reminder as the run leaves it: its invoices, at a level."""
        return (
            cls.env["credit.dunning.communication"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "recipient_id": partner.id,
                    "company_id": cls.company.id,
                    "level_id": level.id,
                    "date": cls.today,
                    "state": state,
                    "channels": "letter" if state == "to_print" else "email",
                    "amount_due": sum(invoices.mapped("amount_residual_signed")),
                    "amount_overdue": sum(invoices.mapped("amount_residual_signed")),
                    "line_ids": [
                        Command.create(
                            {
                                "move_id": invoice.id,
                                "level_id": level.id,
                                "date_maturity": invoice.invoice_date_due,
                                "days_overdue": (
                                    cls.today - invoice.invoice_date_due
                                ).days,
                                "amount_residual": invoice.amount_residual_signed,
                                "amount_residual_currency": invoice.amount_residual,
                            }
                        )
                        for invoice in invoices
                    ],
                }
            )
        )

    def _notes(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_credit_manager_sets_limit_and_hold(self):
        self._order(self.customer, 500, confirm=True)
        self._invoice(self.customer, 1000, self._days(-60), due=self._days(-30))
        self.start_tour("/odoo", "credit_control_hold", login=self.credit_manager.login)
        self.env.invalidate_all()
        customer = self.customer
        self.assertEqual(customer.credit_limit, 2000)
        self.assertFalse(customer.credit_hold)
        self.assertFalse(customer.credit_hold_reason)
        limit_note = self._notes(customer, "Credit Limit")
        self.assertEqual(len(limit_note), 1)
        self.assertIn("2,000.00", limit_note.body)
        held = self._notes(customer, "Credit hold set")
        self.assertEqual(len(held), 1)
        self.assertIn("The credit insurer withdrew its cover", held.body)
        lifted = self._notes(customer, "Credit hold lifted")
        self.assertEqual(len(lifted), 1)
        self.assertIn("The insurer covers the customer again", lifted.body)
        for note in limit_note | held | lifted:
            self.assertEqual(note.author_id, self.credit_manager.partner_id)
        self.assertFalse(customer.cash_only, "the hold dialogs touch nothing else")

    def test_collector_records_a_promise_and_a_dispute(self):
        invoice = self._invoice(
            self.customer, 1000, self._days(-40), due=self._days(-7)
        )
        contested = self._invoice(
            self.customer, 200, self._days(-40), due=self._days(-7)
        )
        reminder = self._reminder(self.customer, invoice, self.levels[7], "sent")
        self.start_tour(
            "/odoo", "credit_control_promise_dispute", login=self.collector.login
        )
        self.env.invalidate_all()
        promise = self.env["credit.dunning.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(promise), 1)
        self.assertEqual(promise.date, self._days(7))
        self.assertEqual(promise.move_ids, invoice)
        self.assertAlmostEqual(promise.amount, 1000)
        self.assertEqual(promise.communication_id, reminder)
        self.assertEqual(promise.user_id, self.collector)
        self.assertEqual(promise.note, "Will pay by bank transfer")
        self.assertEqual(promise.state, "open")
        self.assertTrue(self._notes(self.customer, "Payment promise"))
        self.assertTrue(contested.dunning_dispute)
        self.assertEqual(contested.dunning_dispute_reason, "Goods damaged on delivery")
        self.assertFalse(invoice.dunning_dispute)
        dispute_note = self._notes(contested, "Goods damaged on delivery")
        self.assertEqual(dispute_note.author_id, self.collector.partner_id)

    def test_collector_prints_the_letters(self):
        martin = self._make_customer("Martin SA", "martin@example.com")
        letters = self.env["credit.dunning.communication"]
        for partner in (self.customer, martin):
            invoice = self._invoice(partner, 700, self._days(-70), due=self._days(-30))
            letters |= self._reminder(partner, invoice, self.levels[30], "to_print")
        sent = self._reminder(
            self.customer,
            self._invoice(self.customer, 50, self._days(-20), due=self._days(-5)),
            self.levels[5],
            "sent",
        )
        self.start_tour("/odoo", "credit_control_letters", login=self.collector.login)
        self.env.invalidate_all()
        self.assertEqual(letters.mapped("state"), ["printed", "printed"])
        self.assertEqual(sent.state, "sent")

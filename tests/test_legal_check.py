from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_credit_dunning_run import DunningCommon

LEGAL = "credit_dunning.mail_activity_type_dunning_legal"


@tagged("post_install", "-at_install")
class TestLegalCheck(DunningCommon):
    """The hand-off level (+45) checks whether the customer is ready for legal
    action: amount over the policy's threshold, every earlier level sent, no
    dispute, no promise nor plan running. Interest at 12 % (2 % reference rate
    of the first half of 2026 + 10 points), indemnity 40 EUR = 20 USD."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        cls.policy = cls.env.ref("credit_dunning.credit_dunning_policy_default")

    def _hand_off(self, *invoices):
        """The ladder for invoices due on 10 March 2026, the formal notice
        printed, up to the hand-off of 24 April (+45)."""
        self._climb("2026-03-10", -3, 5, 7, 8, 15, 30)
        self.env["credit.dunning.communication"].search(
            [("level_id", "=", self.levels[30].id)]
        ).action_mark_printed()
        return self._run("2026-04-24").communication_ids

    def test_ready_for_legal_action(self):
        self.policy.legal_threshold = 1000
        self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        comm = self._hand_off()
        self.assertEqual(comm.level_id, self.levels[45])
        # 1,000 x 12 % x 45 days (11 March - 24 April) / 365 = 14.79
        self.assertTrue(comm.legal_ready)
        self.assertAlmostEqual(comm.legal_recoverable, 1000 + 14.79 + 20.00)
        self.assertEqual(comm.legal_threshold, 1000)
        self.assertIn("Ready for legal action", comm.legal_check)
        task = self._activities(comm, LEGAL)
        self.assertEqual(task.user_id, self.collector)
        self.assertEqual(
            task.summary,
            "Dupont Industrie is ready for legal action or a collection agency",
        )
        note = str(task.note)
        self.assertIn("1,034.79", note)
        self.assertIn("14.79", note)
        self.assertIn("20.00", note)
        self.assertIn("threshold", note)
        self.assertIn("1,000.00", note)

    def test_each_missing_condition_is_named(self):
        self.policy.legal_threshold = 5000
        inv_a = self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        # reminded by the previous tool up to the formal notice (imported at
        # go-live): the ladder's earlier levels never reached it
        inv_b = self._invoice(self.customer, 500, "2026-02-08", due="2026-03-10")
        inv_b.write(
            {
                "dunning_level_id": self.levels[30].id,
                "dunning_last_date": "2026-04-09",
            }
        )
        inv_c = self._invoice(self.customer, 300, "2026-04-01", due="2026-04-20")
        inv_d = self._invoice(self.customer, 200, "2026-04-01", due="2026-05-30")
        self._climb("2026-03-10", -3, 5, 7, 8, 15, 30)  # notice left to print
        inv_c._dunning_set_dispute("Goods damaged")
        with freeze_time("2026-04-23"):
            self.customer.with_user(self.collector).credit_record_promise(
                "2026-05-30", 200, invoice_ids=inv_d.ids
            )
        self.env["credit.dunning.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(inv_a.ids)],
                "amount_total": 1000,
            }
        )
        comm = self._run("2026-04-24").communication_ids
        self.assertEqual(comm.level_id, self.levels[45])
        self.assertFalse(comm.legal_ready)
        # overdue 1,800; interest 14.79 (A) + 7.40 (B: 500 x 12 % x 45 / 365)
        # + 0.39 (C: 300 x 12 % x 4 / 365); 3 indemnities of 20.00
        self.assertAlmostEqual(comm.legal_recoverable, 1800 + 22.58 + 60)
        check = comm.legal_check
        self.assertIn("Amount below the threshold", check)
        self.assertIn("1,882.58", check)
        self.assertIn("5,000.00", check)
        for level in ("First reminder", "Phone call", "Credit hold", "Formal notice"):
            self.assertIn(f"“{level}” was never done for {inv_b.name}", check)
        self.assertIn(
            f"“Formal notice” is not done yet for {inv_a.name} (held for a "
            "setting, or the letter is still to print)",
            check,
        )
        self.assertNotIn(f"“First reminder” was never done for {inv_a.name}", check)
        self.assertIn(f"Dispute open on {inv_c.name}", check)
        self.assertIn("Payment promise running: Dupont Industrie: $", check)
        self.assertIn("Payment plan requested: $", check)
        self.assertNotIn("Ready for legal action", check)
        task = self._activities(comm, LEGAL)
        self.assertEqual(
            task.summary, "Dupont Industrie is not ready for legal action yet"
        )
        note = str(task.note)
        for text in ("Amount below the threshold", "Dispute open", "Payment plan"):
            self.assertIn(text, note)

    def test_failed_reminder_counts_as_recorded(self):
        """A reminder that could not be sent is recorded as impossible (failed,
        with its reason, and a task): the ladder was used."""
        self.policy.legal_threshold = 0
        self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        self._climb("2026-03-10", -3, 5)
        self.env["credit.dunning.communication"].search(
            [("level_id", "=", self.levels[5].id)]
        )._credit_email_failed("bounced")
        comm = self._hand_off()
        self.assertTrue(comm.legal_ready, comm.legal_check)

    def test_threshold_cannot_be_negative(self):
        self.assertEqual(self.policy.legal_threshold, 1500, "the shipped default")
        with self.assertRaises(ValidationError):
            self.policy.legal_threshold = -1

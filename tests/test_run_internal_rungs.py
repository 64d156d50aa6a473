"""The shipped ladder's internal rungs (call, escalation, hold, cash-only with
its legal hand-off) are done for a whole batch at once: their cost does not
grow with the customers of the batch, and each assignee gets one email for
the tasks a run gives them, not one per task."""

from freezegun import freeze_time

from odoo.tests import tagged

from .test_credit_dunning_run import DunningCommon

RUN_DAY = "2026-03-15"
# (due date, level already reached) per rung: on RUN_DAY the invoice's delay
# reaches the next rung of the shipped ladder
RUNGS = {
    "call": ("2026-03-08", 5),  # 7 days late: the phone call
    "escalation": ("2026-03-07", 7),  # 8 days: escalation to the salesperson
    "hold": ("2026-02-28", 8),  # 15 days: credit hold
    "cash_only": ("2026-01-29", 30),  # 45 days: cash-only and legal hand-off
}


@tagged("post_install", "-at_install")
class TestInternalRungs(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_dunning_policy_id = cls.env.ref(
            "credit_dunning.credit_dunning_policy_default"
        )
        cls.serial = 0

    def _customers(self, per_rung):
        """``per_rung`` customers at each rung, one overdue invoice each."""
        customers = {}
        for rung, (due, reached) in RUNGS.items():
            for _ in range(per_rung):
                type(self).serial += 1
                customer = self._make_customer(
                    f"{rung} customer {self.serial}",
                    email=f"c{self.serial}@example.com",
                    credit_collector_id=self.collector.id,
                )
                invoice = self._invoice(customer, 100, "2026-01-01", due=due)
                invoice.sudo().dunning_level_id = self.levels[reached]
                customers.setdefault(rung, self.env["res.partner"])
                customers[rung] |= customer
        self.env.flush_all()
        self.env.invalidate_all()
        return customers

    def _run_today(self):
        with freeze_time(RUN_DAY):
            return self.Run._run(self.company)

    def _queries_of_run(self, per_rung):
        customers = self._customers(per_rung)
        before = self.env.cr.sql_log_count
        run = self._run_today()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        # out of the next runs (they would get their first email reminder)
        for partner in customers.values():
            partner.sudo().write(
                {"dunning_excluded": True, "dunning_excluded_reason": "measured"}
            )
        self.env.flush_all()
        return customers, run, queries

    def test_same_queries_for_4_and_16_customers(self):
        self._queries_of_run(1)  # warm caches
        _customers, run, few = self._queries_of_run(1)
        self.assertEqual(len(run.communication_ids), 4)
        customers, run, many = self._queries_of_run(4)
        self.assertEqual(len(run.communication_ids), 16)
        # (a few lookups of Odoo's mail composer are cached or not depending
        # on the order of the emails: 4 customers may cost 2 queries more)
        self.assertLessEqual(
            many,
            few,
            "the internal rungs of 16 customers cost more queries than those of 4",
        )
        # and each rung was carried out for every customer
        self.assertTrue(all(customers["hold"].mapped("credit_hold")))
        self.assertTrue(all(customers["cash_only"].mapped("cash_only")))
        Activity = self.env["mail.activity"].sudo()
        by_customer = {
            comm.partner_id: Activity.search(
                [
                    ("res_model", "=", comm._name),
                    ("res_id", "=", comm.id),
                ]
            )
            for comm in run.communication_ids
        }
        for rung, xmlid in (
            ("call", "mail.mail_activity_data_call"),
            ("escalation", "credit_dunning.mail_activity_type_dunning_escalation"),
            ("cash_only", "credit_dunning.mail_activity_type_dunning_legal"),
        ):
            for customer in customers[rung]:
                self.assertEqual(
                    by_customer[customer].activity_type_id, self.env.ref(xmlid)
                )
        # the legal hand-off says why the customer is not ready yet (the
        # earlier rungs were imported, never sent by the ladder)
        handoffs = run.communication_ids.filtered(
            lambda c: c.partner_id in customers["cash_only"]
        )
        for comm in handoffs:
            self.assertFalse(comm.legal_ready)
            self.assertIn("was never done for", comm.legal_check)
            self.assertIn(comm.line_ids.move_id.name, comm.legal_check)

    def test_one_email_per_assignee(self):
        customers = self._customers(3)
        self._run_today()
        self.env.flush_all()

        def mails_to(user):
            return self.env["mail.mail"].search(
                [("recipient_ids", "in", user.partner_id.ids)]
            )

        # the salesperson: one email for the three escalations, each linked
        mail = mails_to(self.salesman)
        self.assertEqual(len(mail), 1)
        self.assertIn("3 credit control tasks assigned to you", mail.subject)
        for customer in customers["escalation"]:
            self.assertIn(customer.name, mail.body_html)
        self.assertEqual(mail.body_html.count("/odoo/credit.dunning.communication/"), 3)
        # the collector works the calls and hand-offs from the activities and
        # the worklist: no email per task
        self.assertFalse(mails_to(self.collector))
        self.assertEqual(
            self.env["mail.activity"]
            .sudo()
            .search_count([("user_id", "=", self.collector.id)]),
            6,
        )

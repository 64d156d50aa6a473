from datetime import date, timedelta
from html import unescape

from freezegun import freeze_time

from odoo.tests import tagged

from .test_credit_dunning_run import DunningCommon

DUE = date(2026, 3, 10)


def day(offset):
    """The day ``offset`` days after the due date DUE."""
    return DUE + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestFirstContact(DunningCommon):
    """A customer is never sent a level whose text presumes an earlier
    reminder it did not receive: the first contact is the last reminder level
    reached, then the ladder climbs one level at a time at its own pace."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.courtesy = cls.levels[-3]
        cls.first = cls.levels[5]
        cls.call = cls.levels[7]
        cls.escalation = cls.levels[8]
        cls.hold = cls.levels[15]
        cls.formal = cls.levels[30]
        cls.cash_only = cls.levels[45]

    def _daily(self, first, last):
        """Runs every day from ``first`` to ``last`` days after DUE:
        {days: reminders of that run}."""
        sent = {}
        for offset in range(first, last + 1):
            comms = self._run(day(offset)).communication_ids
            if comms:
                sent[offset] = comms
        return sent

    def _preview(self, on):
        with freeze_time(on):
            return unescape(
                self.env["credit.dunning.preview"]
                .with_user(self.collector)
                .with_context(lang=self.collector.lang)
                .create({})
                .summary
            )

    def test_new_customer_55_days_late_gets_the_first_reminder(self):
        invoice = self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        sent = self._daily(55, 96)
        levels = {offset: comm.level_id for offset, comm in sent.items()}
        # the first reminder, then the ladder at its own pace: as many days
        # between two levels as the policy puts between them
        self.assertEqual(
            levels,
            {
                55: self.first,
                57: self.call,
                58: self.escalation,
                65: self.hold,
                80: self.formal,
                95: self.cash_only,
            },
        )
        subjects = self._mails_to(self.customer).sorted("id").mapped("subject")
        self.assertIn("Payment reminder", subjects[0])
        self.assertEqual(len(subjects), 4, "first reminder, hold, notice, cash-only")
        self.assertIn("Formal notice", subjects[2])
        self.assertTrue(self.customer.credit_hold)
        self.assertTrue(self.customer.cash_only)
        self.assertEqual(invoice.dunning_level_id, self.cash_only)
        self.assertEqual(
            invoice.dunning_line_ids.filtered("level_id").level_id,
            self.first
            | self.call
            | self.escalation
            | self.hold
            | self.formal
            | self.cash_only,
            "the courtesy reminder is past: not sent late",
        )

    def test_first_contact_never_holds_nor_sends_a_formal_notice(self):
        invoice = self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        comm = self._run(day(55)).communication_ids
        self.assertEqual(comm.level_id, self.first)
        self.assertEqual(invoice.dunning_level_id, self.first)
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.customer.cash_only)
        self.assertFalse(
            self._activities(comm, "credit_dunning.mail_activity_type_dunning_legal")
        )
        mail = self._mails_to(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn("ignore this message", mail.body_html)
        self.assertNotIn("Formal notice", mail.subject)
        self.assertEqual(comm.state, "queued", "an email, no letter to print")
        # the next day: nothing more (the call comes two days after)
        self.assertFalse(self._run(day(56)).communication_ids)

    def test_go_live_every_customer_starts_with_a_reminder(self):
        """The first run after go-live finds customers at every stage of the
        ladder: each gets the reminder its oldest invoice has reached."""
        stages = {-2: "Soon Ltd", 6: "Six Ltd", 10: "Ten Ltd", 20: "Twenty Ltd"}
        stages |= {40: "Forty Ltd", 100: "Hundred Ltd"}
        customers = {}
        for offset, name in stages.items():
            customer = self._make_customer(name, f"{offset}@example.com")
            customer.credit_collector_id = self.collector
            self._invoice(customer, 100, "2025-08-01", due=DUE - timedelta(offset))
            customers[offset] = customer
        go_live = self._run(DUE)
        level_of = {c.partner_id: c.level_id for c in go_live.communication_ids}
        self.assertEqual(
            level_of,
            {
                customer: self.courtesy if offset < 0 else self.first
                for offset, customer in customers.items()
            },
        )
        everyone = self.env["res.partner"].union(*customers.values())
        self.assertFalse(everyone.filtered("credit_hold"))
        self.assertFalse(everyone.filtered("cash_only"))
        self.assertFalse(go_live.communication_ids.filtered("level_id.send_letter"))
        for customer in everyone:
            mail = self._mails_to(customer)
            self.assertEqual(len(mail), 1)
            self.assertNotIn("Formal notice", mail.subject)
            self.assertNotIn("on hold", mail.subject)
        # then the ladder climbs at its pace from the go-live, for all of them
        sent = self._daily(1, 10)
        climbed = {
            customer: {
                offset: comms.filtered(lambda c, p=customer: c.partner_id == p).level_id
                for offset, comms in sent.items()
                if customer in comms.partner_id
            }
            for customer in everyone
        }
        late = {2: self.call, 3: self.escalation, 10: self.hold}
        for offset in (6, 10, 20, 40, 100):
            self.assertEqual(climbed[customers[offset]], late, stages[offset])
        # the courtesy was sent at D-2 (go-live): the first reminder 8 days
        # later (at D+6, not D+5), the call 2 days after it
        self.assertEqual(climbed[customers[-2]], {8: self.first, 10: self.call})

    def test_reminded_customer_climbs_on_the_ladder_days(self):
        invoice = self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        sent = self._daily(-3, 46)
        self.assertEqual(
            {offset: comm.level_id for offset, comm in sent.items()},
            {
                -3: self.courtesy,
                5: self.first,
                7: self.call,
                8: self.escalation,
                15: self.hold,
                30: self.formal,
                45: self.cash_only,
            },
        )
        self.assertEqual(invoice.dunning_level_id, self.cash_only)

    def test_after_a_pause_one_level_at_a_time(self):
        """A reminded invoice whose runs stopped for a month is not sent
        straight to the formal notice: it climbs one level at a time."""
        self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        self._run(day(5))
        comm = self._run(day(35)).communication_ids
        self.assertEqual(comm.level_id, self.call)
        self.assertFalse(self.customer.credit_hold)
        self.assertIn(
            "at the policy's pace: Sales rep escalation instead of Formal notice",
            self._preview(day(36)),
        )

    def test_new_invoice_of_a_reminded_customer(self):
        """The ladder is per invoice: an invoice never reminded starts with
        the first reminder, in the reminder of the customer's other invoice
        that climbs as usual."""
        old = self._invoice(self.customer, 800, "2026-01-01", due=DUE)
        for offset in (5, 7, 8, 15):
            self._run(day(offset))
        self.assertEqual(old.dunning_level_id, self.hold)
        new = self._invoice(self.customer, 300, "2026-01-01", due=day(-5))
        summary = self._preview(day(30))
        self.assertIn(
            f"first contact: First reminder instead of Formal notice; Formal "
            f"notice not before 05/04/2026 ({new.name})",
            summary,
        )
        comm = self._run(day(30)).communication_ids
        self.assertEqual(comm.level_id, self.formal)
        levels = {line.move_id: line.level_id for line in comm.line_ids}
        self.assertEqual(levels, {old: self.formal, new: self.first})

    def test_preview_says_first_contact(self):
        self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        summary = self._preview(day(35))
        # the formal notice could come 25 days after the first reminder
        self.assertIn(
            "first contact: First reminder instead of Formal notice; "
            "Formal notice not before 05/09/2026",
            summary,
        )
        self.assertFalse(self.env["credit.dunning.communication"].search([]))
        # in the language of the controller who reads it
        self.env["res.lang"]._activate_lang("fr_FR")
        self.collector.lang = "fr_FR"
        self.assertIn("09/05/2026", self._preview(day(35)))

    def test_policy_without_reminder_level_acts_as_set(self):
        """A policy that sends nothing to customers has no first reminder to
        start with: its levels act on their days."""
        silent = self.env["credit.dunning.policy"].create(
            {
                "name": "Calls only",
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Call",
                            "offset_days": 3,
                            "create_call_activity": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {"name": "Hold", "offset_days": 10, "set_credit_hold": True},
                    ),
                ],
            }
        )
        self.customer.credit_dunning_policy_id = silent
        self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        comm = self._run(day(12)).communication_ids
        self.assertEqual(comm.level_id.name, "Hold")
        self.assertTrue(self.customer.credit_hold)

    def test_level_imported_at_go_live_counts_as_reminded(self):
        """The history of the previous tool, imported as the invoices' level
        (no reminder of this one behind it): the ladder goes on from it."""
        invoice = self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        invoice.dunning_level_id = self.hold
        comm = self._run(day(31)).communication_ids
        self.assertEqual(comm.level_id, self.formal)
        self.assertIn("Formal notice", self._mails_to(self.customer).subject)

    def test_imported_level_then_internal_level_then_second_run(self):
        """The go-live history of the demo: an invoice imported at the first
        reminder moves to the call, one imported at the call to the
        escalation (internal levels, no message). A second run the same day,
        and the runs of the following days, never send the first reminder
        again: the import counts as a reminder sent on every run."""
        other = self._make_customer("Lefebvre Transports", "lefebvre@example.com")
        first = self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        first.dunning_level_id = self.first
        call = self._invoice(other, 500, "2026-02-08", due=DUE)
        call.dunning_level_id = self.call
        go_live = self._run(day(20))
        self.assertEqual(
            {c.partner_id: c.level_id for c in go_live.communication_ids},
            {self.customer: self.call, other: self.escalation},
        )
        self.assertEqual(first.dunning_level_id, self.call)
        self.assertEqual(call.dunning_level_id, self.escalation)
        self.assertIn("2 invoice(s) moved up", go_live.log)
        # the same day: nothing planned, nothing sent
        self.assertIn("would send no reminder", self._preview(day(20)))
        self.assertFalse(self.Run._plan(self.company, day(20)))
        self.assertFalse(self._run(day(20)).communication_ids)
        # the next days, one level at a time from there, never backwards
        sent = self._daily(21, 40)
        self.assertEqual(
            {(o, c.partner_id, c.level_id) for o, comms in sent.items() for c in comms},
            {
                (21, self.customer, self.escalation),
                (27, other, self.hold),
                (28, self.customer, self.hold),
            },
        )
        self.assertFalse(
            self.env["mail.mail"].search([("subject", "ilike", "Payment reminder")]),
            "the first reminder is never sent again",
        )

    def test_level_never_goes_down_after_a_manual_correction(self):
        """An invoice whose level was lowered by hand below a level the
        ladder already gave it keeps climbing from the highest one."""
        invoice = self._invoice(self.customer, 800, "2026-02-08", due=DUE)
        self._daily(5, 8)
        self.assertEqual(invoice.dunning_level_id, self.escalation)
        invoice.dunning_level_id = self.courtesy
        self.assertFalse(self._run(day(9)).communication_ids)
        comm = self._run(day(15)).communication_ids
        self.assertEqual(comm.level_id, self.hold)

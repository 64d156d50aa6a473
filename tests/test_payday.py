from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..payday.account_move import payday_due_date
from .test_credit_dunning_run import DunningCommon


@tagged("post_install", "-at_install")
class TestPayday(DunningCommon):
    """A customer paid on a given day of the month gets its invoices due on
    that day, within the legal limit of 60 days from the invoice date or 45
    days end of month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls._make_customer(
            "Claire Martin", "claire@example.com", is_company=False
        )
        cls.consumer.credit_collector_id = cls.collector
        cls.term_30 = cls._term("30 Days", 30)
        cls.term_45 = cls._term("45 Days", 45)
        cls.term_60 = cls._term("60 Days", 60)

    @classmethod
    def _term(cls, name, *days, **values):
        share = 100.0 / len(days)
        return cls.env["account.payment.term"].create(
            {
                "name": name,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": share, "nb_days": nb}
                    )
                    for nb in days
                ],
                **values,
            }
        )

    def _invoice_with_term(self, term, invoice_date, post=True, partner=None):
        move = (
            self.env["account.move"]
            .with_user(self.collector)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.consumer).id,
                    "invoice_date": invoice_date,
                    "invoice_payment_term_id": term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Kitchen",
                                "quantity": 1,
                                "price_unit": 1000.0,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def _set_payday(self, day, partner=None):
        (partner or self.consumer).with_user(self.collector).credit_payday = day

    def _receivable_dates(self, move):
        return sorted(
            move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).mapped("date_maturity")
        )

    def test_due_date_moves_to_the_payday(self):
        self._set_payday(5)
        invoice = self._invoice_with_term(self.term_30, date(2026, 2, 10))
        # 30 days: 12 March; the next 5th: 5 April (the limit is 14 April)
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 5))
        self.assertEqual(self._receivable_dates(invoice), [date(2026, 4, 5)])
        self.assertEqual(invoice.credit_payday_moved_from, date(2026, 3, 12))
        self.assertIn(
            "Due date moved to the customer's payday (day 5 of the month): "
            "04/05/2026 instead of 03/12/2026",
            invoice.message_ids[0].body,
        )

    def test_payday_of_a_contact_is_its_company(self):
        company = self._make_customer("Garage Roux", "roux@example.com")
        contact = self.env["res.partner"].create(
            {"name": "Paul Roux", "parent_id": company.id, "type": "invoice"}
        )
        self._set_payday(20, company)
        self.assertEqual(contact.credit_payday, 20)
        invoice = self._invoice_with_term(
            self.term_30, date(2026, 2, 10), partner=contact
        )
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 20))

    def test_no_payday_no_move(self):
        invoice = self._invoice_with_term(self.term_30, date(2026, 2, 10))
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 12))
        self.assertFalse(invoice.credit_payday_moved_from)

    def test_payday_already_the_term_date(self):
        self._set_payday(12)
        invoice = self._invoice_with_term(self.term_30, date(2026, 2, 10))
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 12))
        self.assertFalse(invoice.credit_payday_moved_from, "nothing moved")
        self.assertFalse(
            any("payday" in (message.body or "") for message in invoice.message_ids)
        )

    def test_kept_within_60_days(self):
        # 31 January: 60 days is 1 April, later than 45 days end of month
        # (31 March, or 17 March counted from the end of January)
        self._set_payday(1)
        invoice = self._invoice_with_term(self.term_45, date(2026, 1, 31))
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 1), "the 60th day")
        self._set_payday(5)
        invoice = self._invoice_with_term(self.term_45, date(2026, 1, 31))
        # 5 April is past the limit: the term's 17 March stays
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 17))
        self.assertEqual(self._receivable_dates(invoice), [date(2026, 3, 17)])
        self.assertFalse(invoice.credit_payday_moved_from)

    def test_kept_within_45_days_end_of_month(self):
        # 1 January: 60 days is 2 March; 45 days from the end of January,
        # 17 March, is the later limit
        self._set_payday(15)
        invoice = self._invoice_with_term(self.term_60, date(2026, 1, 1))
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 15))
        self._set_payday(17)
        invoice = self._invoice_with_term(self.term_60, date(2026, 1, 1))
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 17))
        self._set_payday(18)
        invoice = self._invoice_with_term(self.term_60, date(2026, 1, 1))
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 2), "term's date")

    def test_day_31_is_the_last_day_of_shorter_months(self):
        self._set_payday(31)
        invoice = self._invoice_with_term(self.term_30, date(2026, 3, 10))
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 30))
        # the rule itself, on February of a common and a leap year
        self.assertEqual(
            payday_due_date(date(2026, 2, 4), date(2026, 1, 20), 31),
            date(2026, 2, 28),
        )
        self.assertEqual(
            payday_due_date(date(2028, 2, 4), date(2028, 1, 20), 30),
            date(2028, 2, 29),
        )
        # next month when the payday of the term's month is past
        self.assertEqual(
            payday_due_date(date(2026, 1, 31), date(2026, 1, 1), 30),
            date(2026, 2, 28),
        )

    def test_each_instalment_moves(self):
        self._set_payday(5)
        term = self._term("30 / 60 Days", 30, 60)
        invoice = self._invoice_with_term(term, date(2026, 2, 10))
        # 12 March -> 5 April; 11 April -> 5 May is past the limit (14 April)
        self.assertEqual(
            self._receivable_dates(invoice), [date(2026, 4, 5), date(2026, 4, 11)]
        )
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 11))
        self.assertEqual(invoice.amount_residual, 1000.0)

    def test_draft_made_before_the_payday_moves_when_posted(self):
        invoice = self._invoice_with_term(self.term_30, date(2026, 2, 10), post=False)
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 12))
        self._set_payday(5)
        # as in the browser: a new request, nothing of the draft in memory
        self.env.invalidate_all()
        invoice.with_user(self.collector).action_post()
        self.assertEqual(invoice.invoice_date_due, date(2026, 4, 5))
        self.assertEqual(self._receivable_dates(invoice), [date(2026, 4, 5)])
        self.assertEqual(invoice.credit_payday_moved_from, date(2026, 3, 12))

    def test_posted_invoices_keep_their_due_date(self):
        invoice = self._invoice_with_term(self.term_30, date(2026, 2, 10))
        self._set_payday(5)
        self.env.invalidate_all()
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 12))
        self.assertEqual(self._receivable_dates(invoice), [date(2026, 3, 12)])

    def test_vendor_bills_and_invoices_without_terms_keep_their_date(self):
        self._set_payday(5)
        invoice = self._invoice(self.consumer, 500, "2026-02-10", due="2026-03-12")
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 12))
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.consumer.id,
                "invoice_date": "2026-02-10",
                "invoice_payment_term_id": self.term_30.id,
                "invoice_line_ids": [
                    Command.create({"name": "Service", "price_unit": 100.0})
                ],
            }
        )
        self.assertEqual(bill.invoice_date_due, date(2026, 3, 12))

    def test_ladder_counts_from_the_payday(self):
        self._set_payday(5)
        invoice = self._invoice_with_term(self.term_30, date(2026, 2, 10))
        term_due, due = date(2026, 3, 12), date(2026, 4, 5)
        # every day from the term's date to the first reminder's day after it
        for offset in range(1, 6):
            self.assertFalse(
                self._run(term_due + timedelta(days=offset)).communication_ids,
                "not late: the invoice falls due on the payday",
            )
        self.assertFalse(invoice.dunning_level_id)
        courtesy = self._run(due - timedelta(days=3)).communication_ids
        self.assertEqual(courtesy.level_id, self.levels[-3])
        first = self._run(due + timedelta(days=5)).communication_ids
        self.assertEqual(first.level_id, self.levels[5])
        self.assertEqual(first.line_ids.days_overdue, 5)
        self.assertEqual(first.line_ids.date_maturity, due)

    def test_payday_set_by_credit_users_only(self):
        portal = new_test_user(
            self.env, login="payday_portal", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.consumer.commercial_partner_id
        for user in (self.salesman, portal):
            with self.assertRaises(AccessError):
                self.consumer.with_user(user).credit_payday = 5
        self.assertFalse(self.consumer.credit_payday)
        self._set_payday(5)
        self.assertEqual(self.consumer.credit_payday, 5)

    def test_payday_is_a_day_of_the_month(self):
        with self.assertRaises(ValidationError):
            self._set_payday(32)
        with self.assertRaises(ValidationError):
            self._set_payday(-1)
        self.assertFalse(self.consumer.credit_payday)

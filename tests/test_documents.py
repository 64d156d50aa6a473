"""What a customer receives never carries an internal instruction: a reminder
whose documents lack a setting is held and the credit managers are told; the
published reference rates are there out of the box."""

import re
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .test_credit_dunning_run import DunningCommon

# what only the staff may read: menu paths, hints, red text, placeholders
INTERNAL_TEXT = re.compile(
    r"Credit Control &gt;|Credit Control >|Configuration|Settings|No reference rate"
    r"|add it in|text-danger|color: ?red|\{\{|object\.|t-out",
)


def letter_html(env, comm):
    return (
        env["ir.actions.report"]
        ._render_qweb_html("credit_dunning.report_dunning_letter", comm.ids)[0]
        .decode()
    )


def letter_text(env, comm):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", letter_html(env, comm)))


@tagged("post_install", "-at_install")
class TestHeldReminders(DunningCommon):
    def _notice_to(self, recipient):
        return self.env["credit.dunning.communication"].create(
            {
                "partner_id": self.customer.id,
                "recipient_id": recipient.id,
                "company_id": self.company.id,
                "level_id": self.notice.id,
                "date": "2026-05-31",
            }
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.notice = cls.env.ref("credit_dunning.credit_dunning_level_formal_notice")
        cls.policy = cls.env.ref("credit_dunning.credit_dunning_policy_default")
        # due in the second half of 2026: no rate is known for it
        cls.invoice = cls._invoice(cls.customer, 1000, "2026-07-01", due="2026-08-01")
        cls.invoice.dunning_level_id = cls.env.ref(
            "credit_dunning.credit_dunning_level_credit_hold"
        )

    def _held_todo(self):
        return self.policy.activity_ids.filtered(
            lambda a: a.summary == "Reminders held: settings missing"
        )

    def test_formal_notice_held_until_settings_are_filled_in(self):
        self.company.city = False
        self.company_bank.unlink()
        comm = self._run("2026-08-31").communication_ids
        self.assertEqual(comm.level_id, self.notice)
        self.assertEqual(comm.state, "attention")
        self.assertIn("ZIP code and city", comm.error)
        self.assertIn("bank account", comm.error)
        self.assertIn("No reference rate for the half-year starting", comm.error)
        # nothing left for the customer: no email, no letter, no statement
        self.assertFalse(self._mails_to(self.customer))
        self.assertFalse(comm.attachment_id)
        self.assertNotIn(
            comm,
            self.env["credit.dunning.communication"].search(
                [("state", "=", "to_print")]
            ),
        )
        # listed first
        older = self._make_customer("Older SA", "older@example.com")
        self._invoice(older, 50, "2026-07-01", due="2026-08-28")
        self._run("2026-09-02")
        self.assertEqual(self.env["credit.dunning.communication"].search([])[0], comm)
        # the credit managers are told once, with each missing item
        todo = self._held_todo()
        self.assertEqual(len(todo), 1)
        self.assertTrue(
            todo.user_id.has_group("credit_dunning.group_credit_control_manager")
        )
        for item in (
            "ZIP code and city",
            "bank account",
            "No reference rate",
            comm.name,
        ):
            self.assertIn(item, str(todo.note))
        self._run("2026-09-03")
        self.assertEqual(len(self._held_todo()), 1, "told once")
        self.assertEqual(comm.state, "attention")

        # filled in: the next run sends it, and the to-do is done
        self.company.city = "Lyon"
        self.env["res.partner.bank"].create(
            {
                "acc_number": "FR7617569000307481966836R36",
                "partner_id": self.company.partner_id.id,
            }
        )
        self.env["credit.reference.rate"].create(
            {"date_from": "2026-07-01", "rate": 2.15, "company_id": self.company.id}
        )
        self._run("2026-09-04")
        self.assertEqual(comm.state, "to_print")
        self.assertFalse(comm.error)
        self.assertIn("email", comm.channels)
        self.assertIn("letter", comm.channels)
        self.assertTrue(comm.attachment_id)
        mails = self._mails_to(self.customer)
        self.assertEqual(len(mails), 1)
        self.assertFalse(self._held_todo())
        self.assertIn("Held reminder", self.customer.message_ids[0].body)

    def test_preview_names_no_config_text_in_documents(self):
        """The letter and every shipped email template, rendered for a
        customer, contain nothing meant for the staff."""
        invoice = self._invoice(self.customer, 300, "2026-04-01", due="2026-05-01")
        invoice.dunning_level_id = self.invoice.dunning_level_id
        comm = self._run("2026-05-31").communication_ids
        self.assertEqual(comm.state, "to_print")
        letter = letter_html(self.env, comm)
        self.assertIn("Formal notice to pay", letter)
        self.assertIn("Registered letter with acknowledgement of receipt", letter)
        self.assertIn("FR7630006000011234567890189", letter)
        self.assertNotRegex(letter, INTERNAL_TEXT)
        templates = self.env["mail.template"].search(
            [("model", "=", "credit.dunning.communication")]
        )
        self.assertGreaterEqual(len(templates), 3)
        for template in templates:
            with self.subTest(template=template.name):
                body = template._render_field("body_html", comm.ids)[comm.id]
                subject = template._render_field("subject", comm.ids)[comm.id]
                self.assertNotRegex(str(body) + subject, INTERNAL_TEXT)

    def test_letter_without_city_has_no_dangling_comma(self):
        self.company.city = False
        with freeze_time("2026-05-31"):
            text = letter_text(self.env, self._notice_to(self.customer))
        self.assertIn("05/31/2026", text)
        self.assertNotRegex(text, r", 05/31/2026")

    def test_letter_says_who_writes_to_whom(self):
        """The sender's block is printed by the letter itself (Debian's
        wkhtmltopdf prints no layout header), and an accounting contact
        without an address of its own gets its company's."""
        self.customer.write(
            {"street": "3 quai Rambaud", "zip": "69002", "city": "Lyon"}
        )
        accounting = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "parent_id": self.customer.id,
                "type": "invoice",
            }
        )
        accounting.street = False
        text = letter_text(self.env, self._notice_to(accounting))
        self.assertIn("12 rue des Lilas", text)
        self.assertIn("69003 Lyon", text)
        self.assertIn("credit@company.example.com", text)
        self.assertIn("Service comptable", text)
        self.assertIn("3 quai Rambaud", text)


@tagged("post_install", "-at_install")
class TestShippedRates(DunningCommon):
    def test_published_rates_ship_and_serve_every_company(self):
        rate = self.env.ref("credit_dunning.credit_reference_rate_ecb_2025_h2")
        self.assertEqual(rate.rate, 2.15)
        self.assertFalse(rate.company_id, "shared by every company")
        self.assertIn("ECB", rate.note)
        self.assertEqual(
            self.env.ref("credit_dunning.credit_reference_rate_ecb_2024_h1").rate, 4.5
        )
        # no rate of its own: 1000 x (2.15 + 10) % x 121 days / 365
        invoice = self._invoice(self.customer, 1000, "2025-08-01", due="2025-09-01")
        with freeze_time("2025-12-31"):
            invoice.invalidate_recordset()
            self.assertFalse(invoice.late_interest_error)
            self.assertAlmostEqual(invoice.late_interest_amount, 40.28, places=2)
        # a company's own rate of a half-year wins
        self.env["credit.reference.rate"].create(
            {"date_from": "2025-07-01", "rate": 3.0, "company_id": self.company.id}
        )
        with freeze_time("2025-12-31"):
            invoice.invalidate_recordset()
            # 1000 x 13 % x 121 / 365
            self.assertAlmostEqual(invoice.late_interest_amount, 43.10, places=2)


@tagged("post_install", "-at_install")
class TestWhatCustomersReceive(DunningCommon):
    def _mail_of(self, comm):
        return self.env["mail.mail"].search(
            [("mail_message_id", "=", comm.mail_message_id.id)]
        )

    def test_each_level_says_what_happens_with_totals_and_how_to_pay(self):
        credit_note = self._invoice(
            self.customer, 100, "2026-01-01", due="2026-01-01", move_type="out_refund"
        )
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-02-01")
        invoice.dunning_level_id = self.levels[8]
        comm = self._run("2026-02-16").communication_ids
        self.assertEqual(comm.level_id, self.levels[15])
        body = self._mail_of(comm).body_html
        self.assertIn("your account on hold", body)
        self.assertIn("new orders are suspended", body)
        self.assertNotIn("ignore this message", body.split("on hold")[0])
        self.assertIn(credit_note.name, body)
        self.assertIn("Total overdue", body)
        self.assertIn("Total due", body)
        self.assertIn("credit notes deducted", body)
        self.assertIn("900.00", body)  # net of the credit note
        self.assertIn("FR7630006000011234567890189", body)
        # the references to quote are the invoices' (not the credit note's)
        quoting = body.split("quoting the payment reference of each invoice")[1]
        quoting = quoting.split(")")[0]
        self.assertIn(invoice.payment_reference or invoice.name, quoting)
        self.assertNotIn(credit_note.name, quoting)
        self.assertIn("Your contact: Colette Collector", body)

        comm = self._run("2026-03-03").communication_ids
        self.assertEqual(comm.level_id, self.levels[30])
        body = self._mail_of(comm).body_html
        self.assertIn("formal notice to pay them within eight days", body)
        self.assertIn("Late-payment penalties due by law", body)
        # 1000 x 12 % x 30 days / 365 as of 3 March
        self.assertIn("9.86", body)

        comm = self._run("2026-03-18").communication_ids
        self.assertEqual(comm.level_id, self.levels[45])
        body = self._mail_of(comm).body_html
        self.assertIn("payment in advance", body)
        self.assertTrue(self.customer.cash_only)


@tagged("post_install", "-at_install")
class TestSettingsHint(DunningCommon):
    def test_settings_say_when_the_current_rate_is_missing(self):
        with freeze_time("2026-11-25"):
            settings = self.env["res.config.settings"].sudo().create({})
            self.assertIn(
                "no reference rate for 2026 H2 (from 07/01/2026).",
                settings.credit_reference_rate_missing,
            )
            self.env["credit.reference.rate"].create(
                {"date_from": "2026-07-01", "rate": 2.15, "company_id": self.company.id}
            )
            settings = self.env["res.config.settings"].sudo().create({})
            self.assertFalse(settings.credit_reference_rate_missing)
            settings.credit_recovery_indemnity_applies = False
            settings.execute()
            self.assertFalse(self.company.credit_recovery_indemnity_applies)


@tagged("post_install", "-at_install")
class TestNetPosition(DunningCommon):
    def test_open_credits_covering_the_overdue_mean_no_reminder(self):
        self._invoice(self.customer, 1000, "2026-01-01", due="2026-02-01")
        self._invoice(
            self.customer, 1200, "2026-01-15", due="2026-01-15", move_type="out_refund"
        )
        for day in ("2026-02-06", "2026-02-16", "2026-03-18"):
            self.assertFalse(self._run(day).communication_ids, day)
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self._mails_to(self.customer))
        # the preview agrees
        with freeze_time("2026-03-18"):
            self.assertFalse(self.Run._plan(self.company, date(2026, 3, 18)))

    def test_partly_covered_is_reminded_of_the_net(self):
        self._invoice(self.customer, 1000, "2026-01-01", due="2026-02-01")
        self._invoice(
            self.customer, 400, "2026-01-15", due="2026-01-15", move_type="out_refund"
        )
        comm = self._run("2026-02-06").communication_ids
        self.assertEqual(comm.amount_due, 600)
        self.assertEqual(len(comm.line_ids), 2, "the credit note is listed")


@tagged("post_install", "-at_install")
class TestPreviewSaysIt(DunningCommon):
    def test_preview_shows_held_reminders_and_breaking_promises(self):
        self.company.city = False
        invoice = self._invoice(self.customer, 1000, "2026-02-01", due="2026-03-01")
        invoice.dunning_level_id = self.levels[15]
        with freeze_time("2026-03-31"):
            summary = str(
                self.env["credit.dunning.preview"]
                .with_user(self.collector)
                .create({"date": "2026-03-31"})
                .summary
            )
        self.assertIn("would be held", summary)
        self.assertIn("ZIP code and city", summary)
        self.assertFalse(
            self.env["credit.dunning.communication"].search([]), "nothing written"
        )
        with freeze_time("2026-03-17"):
            self.customer.with_user(self.collector).credit_record_promise("2026-03-20")
        with freeze_time("2026-03-24"):
            summary = str(
                self.env["credit.dunning.preview"]
                .with_user(self.collector)
                .create({"date": "2026-03-24"})
                .summary
            )
        self.assertIn("Promises that would break", summary)
        self.assertIn("Dupont Industrie", summary)

    def test_settings_and_cockpit_list_the_half_years_of_late_invoices(self):
        """Two invoices late since 2025-H2, whose rate was removed, one since
        2026-H1: the half-years missing a rate are named with the invoices
        late in each; a contractual rate needs none."""
        self.env["credit.reference.rate"].search(
            [("date_from", "in", ["2025-07-01", "2026-01-01"])]
        ).unlink()
        self._invoice(self.customer, 1000, "2025-08-01", due="2025-09-01")
        self._invoice(self.customer, 500, "2025-09-01", due="2025-10-01")
        self._invoice(self.customer, 300, "2026-02-01", due="2026-03-01")
        paid = self._invoice(self.customer, 200, "2025-08-01", due="2025-09-01")
        self._pay(paid, 200)
        # not due yet: late in no half-year
        self._invoice(self.customer, 700, "2026-11-01", due="2026-12-01")
        with freeze_time("2026-11-25"):
            self.assertEqual(
                [
                    (str(start), count)
                    for start, count in self.company._credit_missing_rate_half_years()
                ],
                [("2025-07-01", 2), ("2026-01-01", 3), ("2026-07-01", 3)],
            )
            settings = self.env["res.config.settings"].sudo().create({})
            message = settings.credit_reference_rate_missing
            self.assertIn(
                "no reference rate for 2025 H2 (from 07/01/2025, 2 late invoice(s)), "
                "2026 H1 (from 01/01/2026, 3 late invoice(s)), "
                "2026 H2 (from 07/01/2026, 3 late invoice(s)).",
                message,
            )
            alerts = (
                self.env["credit.cockpit"]
                .with_user(self.credit_manager)
                .get_cockpit_data()["alerts"]
            )
            self.assertEqual([alert["message"] for alert in alerts], [message])
            self.assertEqual(
                alerts[0]["action"], "credit_dunning.credit_reference_rate_action"
            )
            # the rates added, the settings and the cockpit fall silent
            for day, rate in (("2025-07-01", 2.15), ("2026-01-01", 2.15)):
                self.env["credit.reference.rate"].create(
                    {"date_from": day, "rate": rate, "company_id": False}
                )
            self.env["credit.reference.rate"].create(
                {"date_from": "2026-07-01", "rate": 2.15, "company_id": self.company.id}
            )
            settings = self.env["res.config.settings"].sudo().create({})
            self.assertFalse(settings.credit_reference_rate_missing)
            self.assertFalse(
                self.env["credit.cockpit"]
                .with_user(self.credit_manager)
                .get_cockpit_data()["alerts"]
            )
            # under a contractual rate no reference rate is needed
            self.env["credit.reference.rate"].search(
                [("date_from", "=", "2026-07-01")]
            ).unlink()
            self.company.credit_penalty_rate_type = "contractual"
            self.assertFalse(self.company._credit_missing_rate_message())

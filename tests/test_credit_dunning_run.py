from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon


class DunningCommon(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["credit.dunning.run"]
        cls.customer.credit_collector_id = cls.collector
        cls.levels = {
            level.offset_days: level
            for level in cls.env.ref(
                "credit_dunning.credit_dunning_policy_default"
            ).level_ids
        }

    def _run(self, day, company=None):
        with freeze_time(day):
            return self.Run._run(company or self.company)

    def _climb(self, due, *offsets, company=None):
        """The runs on the days ``offsets`` from the due date ``due``: one
        level at a time, as the ladder climbs (first reminder +5, call +7,
        escalation +8, hold +15, formal notice +30, cash-only +45)."""
        due = date.fromisoformat(due) if isinstance(due, str) else due
        runs = self.Run
        for offset in offsets:
            runs |= self._run(due + timedelta(days=offset), company)
        return runs

    def _mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])


@tagged("post_install", "-at_install")
class TestDunningLadder(DunningCommon):
    def test_walk_through_the_ladder(self):
        invoice = self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        comms = self.env["credit.dunning.communication"]

        # D-3: courtesy reminder by email, statement attached
        run = self._run("2026-03-07")
        comm = run.communication_ids
        self.assertEqual(comm.level_id, self.levels[-3])
        self.assertEqual(comm.partner_id, self.customer)
        self.assertEqual(comm.state, "queued")
        self.assertEqual(invoice.dunning_level_id, self.levels[-3])
        mails = self._mails_to(self.customer)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "outgoing")
        self.assertIn("Courtesy reminder", mails.subject)
        self.assertIn(f"Dear {self.customer.name},", mails.body_html)
        self.assertIn(invoice.name, mails.body_html)
        self.assertNotIn("Days late", mails.body_html, "nothing is late yet")
        self.assertIn(f"Best regards,<br>{self.company.name}", mails.body_html)
        self.assertEqual(mails.attachment_ids, comm.attachment_id)
        self.assertEqual(mails.mail_message_id, comm.mail_message_id)
        self.assertEqual((mails.model, mails.res_id), (comm._name, comm.id))
        self.assertIn(
            comm.name, self.customer.message_ids[0].body, "linked in the chatter"
        )
        self.assertIn("Courtesy reminder", invoice.message_ids[0].body)
        comms |= comm

        # the next day nothing new
        self.assertFalse(self._run("2026-03-08").communication_ids)
        self.assertEqual(len(self._mails_to(self.customer)), 1)

        # D+5 first reminder ("ignore if already paid")
        comm = self._run("2026-03-15").communication_ids
        self.assertEqual(comm.level_id, self.levels[5])
        body = self._mails_to(self.customer)[0].body_html
        self.assertIn("ignore this message", body)
        self.assertIn("Days late", body)
        self.assertIn("<td>5</td>", body)
        comms |= comm

        # D+7 phone call for the collector
        comm = self._run("2026-03-17").communication_ids
        self.assertEqual(comm.level_id, self.levels[7])
        call = self._activities(comm, "mail.mail_activity_data_call")
        self.assertEqual(call.user_id, self.collector)

        # D+8 escalation to the salesperson, with a deadline and the summary
        comm = self._run("2026-03-18").communication_ids
        escalation = self._activities(
            comm, "credit_dunning.mail_activity_type_dunning_escalation"
        )
        self.assertEqual(escalation.user_id, self.salesman)
        self.assertEqual(escalation.date_deadline, date(2026, 3, 23))
        self.assertIn("1,000.00", str(escalation.note))
        self.assertFalse(self.customer.credit_hold)

        # D+15 credit hold; the unanswered escalation goes to the sales manager
        comm = self._run("2026-03-25").communication_ids
        self.assertEqual(comm.level_id, self.levels[15])
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_origin, "dunning")
        self.assertTrue(self.contact.credit_hold)
        reescalated = self.env["mail.activity"].search(
            [
                ("res_model", "=", "credit.dunning.communication"),
                ("user_id", "=", self.sales_manager.id),
            ]
        )
        self.assertEqual(len(reescalated), 1)
        self.assertIn("Sam Salesman", reescalated.summary)
        # ... once
        self._run("2026-03-26")
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "credit.dunning.communication"),
                    ("user_id", "=", self.sales_manager.id),
                ]
            ),
            1,
        )

        # D+30 formal notice: letter to print + email
        comm = self._run("2026-04-09").communication_ids
        self.assertEqual(comm.level_id, self.levels[30])
        self.assertEqual(comm.state, "to_print")
        self.assertIn("letter", comm.channels)
        self.assertIn("Formal notice", self._mails_to(self.customer)[0].subject)

        # D+45 cash-only and hand-off to the credit manager (collector here)
        comm = self._run("2026-04-24").communication_ids
        self.assertEqual(comm.level_id, self.levels[45])
        self.assertTrue(self.customer.cash_only)
        legal = self._activities(
            comm, "credit_dunning.mail_activity_type_dunning_legal"
        )
        self.assertEqual(legal.user_id, self.collector)
        self.assertEqual(invoice.dunning_level_id, self.levels[45])
        self.assertEqual(len(invoice.dunning_line_ids.filtered("level_id")), 7)

        # later runs do nothing more
        self.assertFalse(self._run("2026-06-01").communication_ids)

    def test_consolidated_reminder_per_customer(self):
        inv_a = self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")  # +6
        inv_b = self._invoice(self.contact, 200, "2026-01-01", due="2026-02-20")  # +23
        inv_c = self._invoice(
            self.customer, 300, "2026-01-01", due="2026-03-25"
        )  # not due
        refund = self._invoice(self.customer, 50, "2026-03-01", move_type="out_refund")
        run = self._run("2026-03-15")
        comm = run.communication_ids
        self.assertEqual(len(comm), 1, "one reminder per customer")
        self.assertEqual(
            comm.level_id,
            self.levels[5],
            "first contact: the first reminder, never the hold of the +23 days",
        )
        self.assertEqual(
            set(comm.line_ids.move_id.ids), {inv_a.id, inv_b.id, refund.id}
        )
        self.assertNotIn(inv_c, comm.line_ids.move_id)
        self.assertAlmostEqual(comm.amount_due, 250.0, msg="300 overdue - 50 credit")
        self.assertAlmostEqual(comm.amount_overdue, 300.0)
        self.assertIn("$\xa0300.00 overdue", comm._overdue_summary())
        self.assertEqual(inv_a.dunning_level_id, self.levels[5])
        self.assertEqual(inv_b.dunning_level_id, self.levels[5])
        self.assertFalse(inv_c.dunning_level_id)
        self.assertEqual(len(self._mails_to(self.customer)), 1)
        body = self._mails_to(self.customer).body_html
        for move in (inv_a, inv_b, refund):
            self.assertIn(move.name, body)

    def test_past_levels_are_not_replayed_on_first_contact(self):
        invoice = self._invoice(
            self.customer, 500, "2026-01-01", due="2026-02-23"
        )  # +20
        comm = self._run("2026-03-15").communication_ids
        self.assertEqual(comm.level_id, self.levels[5])
        self.assertEqual(invoice.dunning_level_id, self.levels[5])
        self.assertEqual(len(invoice.dunning_line_ids), 1, "the courtesy is past")
        self.assertEqual(len(self._mails_to(self.customer)), 1)
        self.assertFalse(self._activities(comm, "mail.mail_activity_data_call"))
        self.assertFalse(self.customer.credit_hold)

    def test_invoice_contact_and_missing_email(self):
        billing = self.env["res.partner"].create(
            {
                "name": "Accounts Payable",
                "parent_id": self.customer.id,
                "type": "invoice",
                "email": "ap@dupont.example.com",
            }
        )
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        comm = self._run("2026-03-15").communication_ids
        self.assertEqual(comm.recipient_id, billing)
        self.assertEqual(len(self._mails_to(billing)), 1)

        silent = self._make_customer("Silent Ltd", email=False)
        self._invoice(silent, 100, "2026-01-01", due="2026-03-10")
        comm = self._run("2026-03-16").communication_ids.filtered(
            lambda c: c.partner_id == silent
        )
        self.assertTrue(comm)
        # no email: a letter to print, listed under Letters to Print, not a failure
        self.assertEqual(comm.state, "to_print")
        self.assertFalse(comm.error)
        self.assertIn("letter", comm.channels)
        self.assertTrue(comm.attachment_id, "the letter is ready to print")
        to_print = self.env.ref(
            "credit_dunning.credit_dunning_communication_action_to_print"
        )
        self.assertIn(
            comm,
            self.env["credit.dunning.communication"].search(
                [("state", "=", "to_print")]
            ),
            to_print.name,
        )
        self.assertFalse(self._mails_to(silent))

    def test_customer_policy_and_sms(self):
        fast = self.env["credit.dunning.policy"].create(
            {
                "name": "Fast lane",
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "SMS nudge",
                            "offset_days": 2,
                            "send_sms": True,
                            "sms_template_id": self.env.ref(
                                "credit_dunning.sms_template_dunning_reminder"
                            ).id,
                        },
                    )
                ],
            }
        )
        self.customer.write(
            {"credit_dunning_policy_id": fast.id, "phone": "+33612345678"}
        )
        silent = self._make_customer("No Phone Ltd", email="np@example.com")
        silent.credit_dunning_policy_id = fast
        self._invoice(self.customer, 300, "2026-01-01", due="2026-03-12")  # +3
        self._invoice(silent, 300, "2026-01-01", due="2026-03-12")
        run = self._run("2026-03-15")
        by_partner = {c.partner_id: c for c in run.communication_ids}
        comm = by_partner[self.customer]
        self.assertEqual(comm.level_id.policy_id, fast, "the customer's own policy")
        self.assertEqual(comm.state, "sent")  # an SMS only
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sms.number, "+33612345678")
        self.assertIn("300.00", sms.body)
        self.assertIn("overdue on your account", sms.body)
        failed = by_partner[silent]
        self.assertEqual(failed.state, "failed")
        self.assertIn("no phone number", failed.error)
        self.assertTrue(self._activities(failed, "mail.mail_activity_data_todo"))

    def test_email_without_statement(self):
        self.levels[5].attach_statement = False
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        comm = self._run("2026-03-15").communication_ids
        mail = self._mails_to(self.customer)
        self.assertFalse(comm.attachment_id)
        self.assertFalse(mail.attachment_ids)
        self.assertNotIn("statement is attached", mail.body_html)

    def test_credit_manager_writes_own_reminder_template(self):
        """Without Odoo's template-editor rights, a credit manager may write a
        reminder template with the reminder placeholders, not with code."""
        Template = self.env["mail.template"].with_user(self.credit_manager)
        model = self.env["ir.model"]._get("credit.dunning.communication")
        with self.assertRaises(AccessError):
            Template.create(
                {
                    "name": "Sneaky",
                    "model_id": model.id,
                    "body_html": '<p t-out="object.partner_id.credit_limit"/>',
                }
            )
        template = Template.create(
            {
                "name": "Our own reminder",
                "model_id": model.id,
                "subject": "{{ object.company_id.name }} to {{ object.partner_id.name }}",
                "partner_to": "{{ object.recipient_id.id }}",
                "use_default_to": False,
                "body_html": "<p>Hello <t t-out='object.recipient_id.name'/>, "
                "please pay:</p><t t-out='object.invoice_table_html'/>",
            }
        )
        self.levels[5].with_user(self.credit_manager).mail_template_id = template
        invoice = self._invoice(self.customer, 250, "2026-01-01", due="2026-03-09")
        self._run("2026-03-15")
        mail = self._mails_to(self.customer)
        self.assertEqual(mail.subject, f"{self.company.name} to {self.customer.name}")
        self.assertIn(f"Hello {self.customer.name}, please pay:", mail.body_html)
        self.assertIn(invoice.name, mail.body_html)

    def test_do_not_dun_and_min_amount(self):
        self.customer.write(
            {"dunning_excluded": True, "dunning_excluded_reason": "in talks"}
        )
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        small = self._make_customer("Small Ltd", email="small@example.com")
        self._invoice(small, 5, "2026-01-01", due="2026-03-09")
        self.levels[5].min_overdue_amount = 10
        self.assertFalse(self._run("2026-03-15").communication_ids)

    def test_paid_invoice_leaves_the_ladder(self):
        invoice = self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        self._pay(invoice, pay_date="2026-03-12")
        self.assertFalse(self._run("2026-03-15").communication_ids)

    def test_ladder_hold_released_by_payment(self):
        invoice = self._invoice(self.customer, 100, "2026-01-01", due="2026-02-20")
        self._climb("2026-02-20", 5, 7, 8, 15)
        self.assertTrue(self.customer.credit_hold)
        with freeze_time("2026-03-08"):
            self._pay(invoice, pay_date="2026-03-08")
        self.assertFalse(self.customer.credit_hold)
        self.assertIn("Credit hold lifted", self.customer.message_ids[0].body)

    def test_preview_does_nothing(self):
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        with freeze_time("2026-03-15"):
            preview = (
                self.env["credit.dunning.preview"].with_user(self.collector).create({})
            )
            summary = preview.summary
        self.assertIn("Dupont Industrie", summary)
        self.assertIn("First reminder", summary)
        self.assertFalse(self.env["credit.dunning.communication"].search([]))
        self.assertTrue(self._run("2026-03-15").communication_ids)

    def test_two_runs_never_double_send(self):
        """A run that plans the same work as another one acts only on what it
        claims first."""
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        with freeze_time("2026-03-15"):
            plan = self.Run._plan(self.company, date(2026, 3, 15))
            first = self.Run.create({"company_id": self.company.id})
            second = self.Run.create({"company_id": self.company.id})
            self.assertEqual(first._execute_batch(plan, date(2026, 3, 15)), 1)
            self.assertEqual(second._execute_batch(plan, date(2026, 3, 15)), 0)
        self.assertFalse(second.communication_ids)
        self.assertEqual(len(self._mails_to(self.customer)), 1)

    def test_emails_are_queued_not_sent_inside_the_run(self):
        """Odoo's composer sends a group of 100 emails or fewer right away: the
        run queues them (a batch rolled back and retried after a conflict must
        not have emailed its customers already)."""
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        MailMail = type(self.env["mail.mail"])
        with patch.object(MailMail, "send", autospec=True) as send:
            run = self._run("2026-03-15")
        self.assertEqual(run.communication_ids.state, "queued")
        send.assert_not_called()
        self.assertEqual(self._mails_to(self.customer).state, "outgoing")

    def test_a_batch_emails_in_one_group_unless_the_admin_limits_it(self):
        """Odoo's composer queues a mass mailing in groups (``mail.batch_size``,
        50 by default), emptying every cache after each: a batch's reminders go
        in one group; a ``mail.batch_size`` set by an administrator is kept."""

        def customers(prefix):
            made = [
                self._make_customer(f"{prefix} {n}", f"{prefix.lower()}{n}@example.com")
                for n in range(3)
            ]
            for customer in made:
                self._invoice(customer, 100, "2026-01-01", due="2026-03-09")
            return made

        Composer = type(self.env["mail.compose.message"])
        MailMail = type(self.env["mail.mail"])
        create = MailMail.create

        def groups():
            calls = []

            def counted(records, values_list):
                calls.append(len(values_list))
                return create(records, values_list)

            # groups of one email, as if Odoo's default were 1
            with (
                patch.object(Composer, "_batch_size", 1),
                patch.object(MailMail, "create", counted),
            ):
                run = self._run("2026-03-15")
            self.assertEqual(len(run.communication_ids), 3)
            return calls

        first = customers("Grouped")
        self.assertEqual(groups(), [3])
        self.assertEqual(len(self._mails_to(first[2])), 1)
        self.env["ir.config_parameter"].sudo().set_param("mail.batch_size", "2")
        second = customers("Limited")
        self.assertEqual(groups(), [2, 1])
        self.assertEqual(len(self._mails_to(second[2])), 1)

    def test_run_now_and_cron_entry_points(self):
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        with freeze_time("2026-03-15"):
            action = self.Run.with_user(self.credit_manager).action_run_now()
        run = self.Run.browse(action["res_id"])
        self.assertEqual(run.communication_count, 1)
        self.assertEqual(run.user_id, self.credit_manager)
        # the cron commits batch by batch: in a cursor whose commit works
        with (
            freeze_time("2026-03-15"),
            self.enter_registry_test_mode(),
            self.registry.cursor() as cr,
        ):
            self.env(cr=cr)["credit.dunning.run"]._cron_run()
        self.assertEqual(self.env["credit.dunning.communication"].search_count([]), 1)


@tagged("post_install", "-at_install")
class TestPromisesAndDisputes(DunningCommon):
    def _promise(self, invoices, promise_date, amount):
        with freeze_time("2026-03-17"):
            wizard = (
                self.env["credit.dunning.promise.wizard"]
                .with_user(self.collector)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [(6, 0, invoices.ids)],
                        "date": promise_date,
                        "amount": amount,
                    }
                )
            )
            self.assertEqual(wizard.grace_days, 3)
            action = wizard.action_record()
        return self.env["credit.dunning.promise"].browse(action["res_id"])

    def test_promise_pauses_and_is_kept(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-03-09")
        other = self._invoice(self.customer, 50, "2026-01-01", due="2026-03-09")
        promise = self._promise(invoice, "2026-03-25", 1000)
        self.assertIn("Payment promise", self.customer.message_ids[0].body)
        comm = self._run("2026-03-20").communication_ids
        self.assertEqual(comm.line_ids.filtered("level_id").move_id, other, "paused")
        self.assertFalse(invoice.dunning_level_id)
        with freeze_time("2026-03-24"):
            self._pay(invoice, pay_date="2026-03-24")
        self._run("2026-03-30")
        self.assertEqual(promise.state, "kept")
        self.assertFalse(self.customer.cash_only)

    def test_broken_promise_means_cash_only(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-03-09")
        promise = self._promise(invoice, "2026-03-20", 1000)
        self.assertFalse(
            self._run("2026-03-23").communication_ids, "paused until date + grace"
        )
        with freeze_time("2026-03-22"):
            self._pay(invoice, amount=300, pay_date="2026-03-22")
        run = self._run("2026-03-24")
        self.assertEqual(promise.state, "broken")
        self.assertTrue(self.customer.credit_hold)
        self.assertTrue(self.customer.cash_only)
        self.assertEqual(self.customer.credit_hold_origin, "promise")
        self.assertIn("broken", self.customer.credit_hold_reason)
        self.assertEqual(promise.activity_ids.user_id, self.collector)
        # the ladder resumes for the invoice
        self.assertIn(invoice, run.communication_ids.line_ids.move_id)

    def test_dispute_leaves_the_ladder_not_the_exposure(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-03-09")
        wizard = (
            self.env["credit.dunning.dispute.wizard"]
            .with_user(self.collector)
            .create({"move_ids": [(6, 0, invoice.ids)], "reason": "Goods damaged"})
        )
        wizard.action_dispute()
        self.assertTrue(invoice.dunning_dispute)
        self.assertFalse(self._run("2026-03-15").communication_ids)
        with freeze_time("2026-03-15"):
            self.assertAlmostEqual(self.customer.credit_exposure, 1000)
        invoice.with_user(self.collector).action_dunning_resolve_dispute()
        self.assertEqual(
            self._run("2026-03-16").communication_ids.line_ids.move_id, invoice
        )


@tagged("post_install", "-at_install")
class TestDunningScope(DunningCommon):
    def test_multi_currency_listed_in_invoice_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        invoice = self._invoice(
            self.customer, 1000, "2026-01-01", due="2026-03-09", currency=eur
        )
        comm = self._run("2026-03-15").communication_ids
        line = comm.line_ids
        self.assertAlmostEqual(line.amount_residual_currency, 1000)
        self.assertEqual(line.currency_id, eur)
        self.assertAlmostEqual(line.amount_residual, 500)
        self.assertIn("1,000.00", self._mails_to(self.customer).body_html)
        self.assertIn("€", self._mails_to(self.customer).body_html)
        self.assertEqual(invoice.dunning_level_id, self.levels[5])

    def test_multi_company(self):
        company_2 = self.setup_other_company(name="Company B")["company"]
        self.env.user.company_ids |= company_2
        self._invoice(self.customer, 100, "2026-01-01", due="2026-03-09")
        self._invoice(
            self.customer, 900, "2026-01-01", due="2026-02-20", company=company_2
        )
        run_1 = self._run("2026-03-15")
        run_2 = self._run("2026-03-15", company=company_2)
        self.assertEqual(run_1.communication_ids.level_id, self.levels[5])
        # +23 days in company B, a first contact there too
        self.assertEqual(run_2.communication_ids.level_id, self.levels[5])
        self.assertEqual(run_2.communication_ids.company_id, company_2)
        self.assertAlmostEqual(run_2.communication_ids.amount_due, 900)
        # the hold decided in company B is on the customer, the record rule
        # keeps company B's reminders out of company A users' sight
        user_a = self.collector
        self.assertNotIn(company_2, user_a.company_ids)
        visible = self.env["credit.dunning.communication"].with_user(user_a).search([])
        self.assertEqual(visible, run_1.communication_ids)

    def test_salesman_sees_only_own_escalations(self):
        mine = self.customer
        theirs = self._make_customer(
            "Theirs Ltd", email="t@example.com", salesman=self.other_salesman
        )
        self._invoice(mine, 100, "2026-01-01", due="2026-03-07")
        self._invoice(theirs, 100, "2026-01-01", due="2026-03-07")
        run = self._climb("2026-03-07", 5, 7, 8)[-1]  # the escalation's run
        self.assertEqual(len(run.communication_ids), 2)
        Comm = self.env["credit.dunning.communication"].with_user(self.salesman)
        visible = Comm.search([])
        self.assertEqual(visible.partner_id, mine)
        activities = (
            self.env["mail.activity"]
            .with_user(self.salesman)
            .search([("res_model", "=", "credit.dunning.communication")])
        )
        self.assertTrue(activities)
        self.assertEqual(activities.user_id, self.salesman)
        other_comm = run.communication_ids.filtered(lambda c: c.partner_id == theirs)
        with self.assertRaises(AccessError):
            other_comm.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            visible.with_user(self.salesman).write({"state": "done"})


@tagged("post_install", "-at_install")
class TestDunningQueryCount(DunningCommon):
    def _overdue_invoices(self, customer, count):
        self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": "2026-01-01",
                    "invoice_date_due": "2026-03-09",
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "x",
                                "quantity": 1,
                                "price_unit": 10,
                                "tax_ids": [],
                            },
                        )
                    ],
                }
                for _ in range(count)
            ]
        ).action_post()
        self.env.flush_all()
        self.env.invalidate_all()

    def _run_and_check(self, count):
        with freeze_time("2026-03-15"):
            run = self.Run._run(self.company)
        self.assertEqual(len(run.communication_ids), 1)
        self.assertEqual(len(run.communication_ids.line_ids), count)
        self.assertEqual(len(run.communication_ids.mail_message_id), 1)

    def test_same_queries_for_10_and_200_invoices(self):
        self._overdue_invoices(
            self._make_customer("Warm-up Ltd", email="w@example.com"), 3
        )
        self._run_and_check(3)  # warm caches
        self._overdue_invoices(
            self._make_customer("Ten Ltd", email="ten@example.com"), 10
        )
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self._run_and_check(10)
        self.env.flush_all()
        few = self.env.cr.sql_log_count - before
        self._overdue_invoices(
            self._make_customer("Many Ltd", email="many@example.com"), 200
        )
        with self.assertQueryCount(few):
            self._run_and_check(200)


@tagged("post_install", "-at_install")
class TestFrenchReminder(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.french = cls._french_customer()

    # Debian's wkhtmltopdf (unpatched Qt) warns about header switches and the
    # assets it cannot fetch without a web server: not this addon's warnings.
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_french_email_with_pdf_statement(self):
        self.levels[5].attach_statement = True
        invoice = self._invoice(self.french, 1234.5, "2026-01-01", due="2026-03-09")
        with freeze_time("2026-03-15"):
            run = self.Run.with_context(force_report_rendering=True)._run(self.company)
        comm = run.communication_ids
        mail = self._mails_to(self.french)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("rappel de paiement", mail.subject)
        self.assertIn("Bonjour Martin SARL,", mail.body_html)
        self.assertIn("Sauf erreur de notre part", mail.body_html)
        self.assertIn("Échéance", mail.body_html)
        self.assertIn("Jours de retard", mail.body_html)
        self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(mail.attachment_ids, comm.attachment_id)
        self.assertEqual(comm.attachment_id.mimetype, "application/pdf")
        self.assertTrue(comm.attachment_id.raw.startswith(b"%PDF"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("credit_dunning.report_dunning_letter", comm.ids)[0]
            .decode()
        )
        self.assertIn("Relevé de compte", html)
        self.assertIn("merci de ne pas tenir compte de ce courrier", html)
        # English customers still read English
        self._invoice(self.customer, 10, "2026-01-01", due="2026-03-10")
        self._run("2026-03-16")
        self.assertIn("Payment reminder", self._mails_to(self.customer).subject)

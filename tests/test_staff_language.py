from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_credit_dunning_run import DunningCommon

DUE = date(2026, 3, 10)


@tagged("post_install", "-at_install")
class TestStaffLanguage(DunningCommon):
    """Whoever runs the ladder (the cron runs as OdooBot, in English), the
    customer reads its own language, the notes that stay on the records are
    in the company's language and an activity in its user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.french = cls._french_customer()  # activates French
        cls.french.credit_collector_id = cls.collector
        cls.english = cls.customer
        cls.bot = cls.env.ref("base.user_root")
        cls.bot.lang = "en_US"

    def _climb(self, partner, lang, user=None, offsets=(5, 7, 8, 15)):
        """The ladder of one invoice of ``partner`` due on DUE, run on its
        days by ``user`` (the cron's OdooBot by default) in ``lang``."""
        invoice = self._invoice(partner, 1234.5, "2026-02-01", due=DUE)
        runs = self.Run
        for offset in offsets:
            with freeze_time(DUE + timedelta(days=offset)):
                Run = self.Run.with_user(user or self.bot).with_context(lang=lang)
                if user:
                    Run.action_run_now()
                    runs |= self.Run.search([], limit=1)
                else:
                    # as the cron does
                    runs |= Run.sudo().with_company(self.company)._run(self.company)
        return invoice, runs

    def _note(self, records, text):
        notes = records.message_ids.filtered(lambda m: text in m.body)
        self.assertTrue(notes, f"no note with {text!r}")
        return notes

    def test_french_company_english_customer_cron(self):
        self.company.partner_id.lang = "fr_FR"
        # the salesperson Sam reads English, the others French
        (self.collector | self.sales_manager).lang = "fr_FR"
        invoice, runs = self._climb(self.english, "en_US")
        # the customer reads English, dates and amounts the English way
        mails = self._mails_to(self.english).sorted("id")
        self.assertIn("Payment reminder", mails[0].subject)
        self.assertIn("Dear Dupont Industrie,", mails[0].body_html)
        self.assertIn("03/10/2026", mails[0].body_html)
        self.assertIn("1,234.50", mails[0].body_html)
        self.assertIn("Your account is on hold", mails[1].subject)
        # the staff notes are French
        self.assertEqual(
            runs[0].name, f"Campagne de relance du 15/03/2026 ({self.company.name})"
        )
        self._note(invoice, "Niveau de relance « Première relance » atteint")
        self._note(self.english, "Relance :")
        self._note(self.english, "(E-mail)")
        self._note(self.english, "Encours bloqué")
        self.assertEqual(
            self.english.credit_hold_reason,
            "niveau de relance « Blocage de l'encours » atteint",
        )
        self.assertEqual(
            runs[0].log,
            "1 client(s) relancé(s), 1 facture(s) passée(s) au niveau supérieur.\n"
            "E-mails : 1, lettres à imprimer : 0, tâches : 0.",
        )
        # the activities speak their user's language
        comms = runs.communication_ids
        call = self._activities(comms, "mail.mail_activity_data_call")
        self.assertEqual(call.user_id, self.collector)
        self.assertIn("Appeler Dupont Industrie", call.summary)
        self.assertIn("facture(s) ouverte(s)", str(call.note))
        self.assertRegex(str(call.note), "1(&nbsp;|[\u202f\xa0])234,50")
        escalations = self._activities(
            comms, "credit_dunning.mail_activity_type_dunning_escalation"
        )
        escalation = escalations.filtered(lambda a: a.user_id == self.salesman)
        self.assertIn("please step in by 03/23/2026", escalation.summary)
        # the task tells the salesperson what to do, in English
        note = str(escalation.note)
        self.assertIn("1,234.50 on 1 invoice(s)", note)
        self.assertIn(f"{invoice.name}, due 03/10/2026", note)
        self.assertIn("asks you to call the customer today", note)
        # and so does the email, from the collector, not from the system
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.salesman.partner_id.ids)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, self.collector.partner_id)
        self.assertIn(self.collector.name, mail.email_from)
        self.assertNotIn("OdooBot", mail.email_from)
        self.assertIn("Your customer Dupont Industrie is late paying", mail.subject)
        body = mail.body_html
        self.assertIn(f"{self.collector.name} asks you to call the customer", body)
        self.assertIn(f"{invoice.name}, due 03/10/2026", body)
        self.assertIn("1,234.50", body)
        self.assertIn(f"/odoo/res.partner/{self.english.id}", body)
        self.assertIn(f"/odoo/credit.dunning.communication/{escalation.res_id}", body)
        self.assertIn(
            f"{self.collector.name}, credit control, {self.company.name}", body
        )
        # not handled by its deadline: to the (French-speaking) sales manager
        reescalation = escalations - escalation
        self.assertEqual(reescalation.user_id, self.sales_manager)
        self.assertIn("Escalade non traitée par Sam Salesman", reescalation.summary)
        self.assertIn("vous demande d'appeler le client", str(reescalation.note))

    def test_english_company_french_customer_french_controller(self):
        """A French-speaking controller runs it by hand: the French customer
        reads French, the notes stay in the company's English, the run's
        notification is the controller's."""
        self.collector.lang = "fr_FR"
        invoice, runs = self._climb(self.french, "fr_FR", user=self.collector)
        mails = self._mails_to(self.french).sorted("id")
        self.assertIn("rappel de paiement", mails[0].subject)
        self.assertIn("Bonjour Martin SARL,", mails[0].body_html)
        self.assertIn("10/03/2026", mails[0].body_html)
        self.assertNotIn("03/10/2026", mails[0].body_html)
        self.assertIn("Dunning run 03/15/2026", runs[0].name)
        self._note(invoice, "Dunning level “First reminder” reached")
        self._note(self.french, "Dunning:")
        self._note(self.french, "Credit hold set")
        self.assertEqual(
            self.french.credit_hold_reason, "dunning level “Credit hold” reached"
        )
        call = self._activities(runs.communication_ids, "mail.mail_activity_data_call")
        self.assertIn("Appeler Martin SARL", call.summary)

    def test_broken_promise_in_the_staff_languages(self):
        """The cron (OdooBot, English) breaks an English customer's promise
        in a French company: the hold reason is French, the collector's
        activity French, whatever the customer reads."""
        self.company.partner_id.lang = "fr_FR"
        self.collector.lang = "fr_FR"
        self.english.credit_collector_id = self.collector
        self._invoice(self.english, 500, "2026-02-01", due=DUE)
        with freeze_time(DUE + timedelta(days=2)):
            self.english.with_user(self.collector).credit_record_promise(
                DUE + timedelta(days=5)
            )
        with freeze_time(DUE + timedelta(days=20)):
            self.Run.with_user(self.bot).with_context(lang="en_US").sudo()._run(
                self.company
            )
        self.assertTrue(self.english.credit_hold)
        self.assertIn("promesse de paiement de", self.english.credit_hold_reason)
        self.assertIn("non tenue", self.english.credit_hold_reason)
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "credit.dunning.promise"),
                ("user_id", "=", self.collector.id),
            ]
        )
        self.assertIn("Promesse de paiement non tenue", activity.summary)

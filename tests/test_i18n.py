import re

import polib
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import CreditDunningCommon

# "%s", "%(name)s", "%%": what Python's % operator reads in a code string
PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]")
TAG = re.compile(r"<[^>]+>")
INLINE_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# 1 234,50: French separators (a narrow or plain no-break space)
FRENCH_AMOUNT = r"1[\u202f\xa0]234,50"


@tagged("post_install", "-at_install")
class TestCustomerLanguage(CreditDunningCommon):
    """A reminder speaks the customer's language, whatever the language of the
    staff or of the server that runs the ladder; staff notes stay in theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.french = cls._french_customer()
        cls.english = cls.customer  # en_US, same company
        (cls.french | cls.english).credit_collector_id = cls.collector
        cls.Run = cls.env["credit.dunning.run"]

    def _formal_notice_run(self, lang):
        """Both customers owe 1,234.50 due on 1 May 2026; the run of 31 May
        2026 (30 days late) sends them the formal notice."""
        invoices = {
            partner: self._invoice(partner, 1234.5, "2026-04-01", due="2026-05-01")
            for partner in (self.french, self.english)
        }
        # reminded before (the history imported at go-live): the formal notice
        # is never a first contact
        hold = self.env.ref("credit_dunning.credit_dunning_level_credit_hold")
        for invoice in invoices.values():
            invoice.dunning_level_id = hold
        with freeze_time("2026-05-31"):
            run = self.Run.with_context(lang=lang)._run(self.company)
        formal = self.env.ref("credit_dunning.credit_dunning_level_formal_notice")
        comms = run.communication_ids
        self.assertEqual(comms.partner_id, self.french | self.english)
        self.assertEqual(comms.level_id, formal)
        return invoices, {comm.partner_id: comm for comm in comms}

    def _mail(self, partner):
        mail = self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        self.assertEqual(len(mail), 1)
        return mail

    def _letter(self, comm):
        """The letter as a collector prints it from Letters to Print, on the
        day of the run."""
        with freeze_time("2026-05-31"):
            return (
                self.env["ir.actions.report"]
                .with_user(self.collector)
                ._render_qweb_html("credit_dunning.report_dunning_letter", comm.ids)[0]
                .decode()
            )

    def _assert_french(self, comm, invoice):
        mail = self._mail(self.french)
        self.assertIn("mise en demeure de payer (Martin SARL)", mail.subject)
        body = mail.body_html
        for text in (
            "Bonjour Martin SARL,",
            "nous vous mettons en demeure de les régler dans un délai de huit jours",
            "Notre lettre de mise en demeure suit par courrier recommandé.",
            "Salutations distinguées,",
            "Échéance",
            "Jours de retard",
            "Total échu",
            "Total dû",
            "Pénalités de retard dues de plein droit au 31/05/2026",
            "indemnité forfaitaire pour frais de recouvrement",
            "Code de commerce, articles L441-10 et D441-5",
            "Règlement : par virement bancaire sur le compte "
            "FR7630006000011234567890189",
            "en rappelant la référence de paiement de chaque facture",
            "Votre interlocuteur : Colette Collector",
            "01/05/2026",
            invoice.name,
        ):
            self.assertIn(text, body)
        self.assertRegex(body, FRENCH_AMOUNT)
        for english in ("Dear", "Total due", "How to pay", "Best regards", "1,234.50"):
            self.assertNotIn(english, body)

        letter = self._letter(comm)
        for text in (
            "Lettre recommandée avec accusé de réception",
            "31/05/2026",
            "Mise en demeure de payer",
            "Par la présente, nous vous mettons",
            "À défaut",
            "Jours de retard",
            "Total échu",
            "Total dû",
            "Pénalités de retard à ce jour",
            "Indemnité de recouvrement",
            "Modalités de règlement",
            "Par virement bancaire sur le compte",
            "Votre interlocuteur :",
            "01/04/2026",
            "01/05/2026",
        ):
            self.assertIn(text, letter)
        self.assertRegex(letter, FRENCH_AMOUNT)
        for english in (
            "Registered letter",
            "Formal notice to pay",
            "Total due",
            "How to pay",
        ):
            self.assertNotIn(english, letter)

    def _assert_english(self, comm, invoice):
        mail = self._mail(self.english)
        self.assertIn("Formal notice to pay (Dupont Industrie)", mail.subject)
        body = mail.body_html
        for text in (
            "Dear Dupont Industrie,",
            "We hereby give you formal notice to pay them within eight days",
            "Total overdue",
            "Total due",
            "Late-payment penalties due by law as of 05/31/2026",
            "How to pay: by bank transfer to FR7630006000011234567890189",
            "Your contact: Colette Collector",
            "1,234.50",
            invoice.name,
        ):
            self.assertIn(text, body)
        for french in ("Bonjour", "Total dû", "Règlement", "31/05/2026", "234,50"):
            self.assertNotIn(french, body)

        letter = self._letter(comm)
        for text in (
            "Registered letter with acknowledgement of receipt",
            "Formal notice to pay",
            "05/31/2026",
            "Late-payment penalties to date",
            "How to pay",
            "1,234.50",
        ):
            self.assertIn(text, letter)
        for french in (
            "Lettre recommandée",
            "Mise en demeure",
            "31/05/2026",
            "Total dû",
        ):
            self.assertNotIn(french, letter)

    def test_english_staff_french_and_english_customers(self):
        invoices, comms = self._formal_notice_run("en_US")
        self._assert_french(comms[self.french], invoices[self.french])
        self._assert_english(comms[self.english], invoices[self.english])
        # the notes for the staff stay in the staff's language
        note = invoices[self.french].message_ids[0].body
        self.assertIn("Dunning level “Formal notice” reached", note)

    def test_french_staff_french_and_english_customers(self):
        # the notes that stay are in the company's language: a French company
        self.company.partner_id.lang = "fr_FR"
        invoices, comms = self._formal_notice_run("fr_FR")
        self._assert_french(comms[self.french], invoices[self.french])
        self._assert_english(comms[self.english], invoices[self.english])
        note = invoices[self.english].message_ids[0].body
        self.assertIn("Niveau de relance « Mise en demeure » atteint", note)

    def test_statement_name_and_penalty_detail_in_customer_language(self):
        comms = self._formal_notice_run("en_US")[1]
        french, english = comms[self.french], comms[self.english]
        # what it is, to whom, which day, in the customer's language
        self.assertTrue(
            french.attachment_id.name.startswith(
                "Mise en demeure - Martin SARL - 2026-05-31."
            )
        )
        self.assertTrue(
            english.attachment_id.name.startswith(
                "Formal notice - Dupont Industrie - 2026-05-31."
            )
        )
        # an English-speaking collector prints the French letter...
        letter = self._letter(french)
        self.assertIn("jours / 365", letter)
        self.assertRegex(letter, r"x 12\xa0% x 30 jours")
        self.assertRegex(letter, r"40,00\xa0€")
        self.assertNotIn("days / 365", letter)
        self.assertNotIn("05/31/2026", letter)
        self.assertNotIn("1,234.50", letter)
        # ... and a French-speaking one the English letter
        self.collector.lang = "fr_FR"
        letter = self._letter(english)
        self.assertIn("days / 365", letter)
        self.assertNotIn("jours / 365", letter)


@tagged("post_install", "-at_install")
class TestFrenchCatalogue(CreditDunningCommon):
    """i18n/fr.po: every term translated, and nothing a translation could
    break (placeholders, markup) differs from the English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = polib.pofile(file_path("credit_dunning/i18n/fr.po"))
        cls.entries = [e for e in cls.po if not e.obsolete]

    def test_every_term_is_translated(self):
        self.assertGreater(len(self.entries), 400)
        untranslated = [e.msgid for e in self.entries if not e.msgstr]
        self.assertEqual(untranslated, [])
        fuzzy = [e.msgid for e in self.entries if "fuzzy" in e.flags]
        self.assertEqual(fuzzy, [])

    def test_python_placeholders_match(self):
        code = [
            e
            for e in self.entries
            if "python-format" in e.flags or "odoo-python" in (e.comment or "")
        ]
        self.assertGreater(len(code), 100)
        for entry in code:
            with self.subTest(msgid=entry.msgid):
                self.assertEqual(
                    sorted(PYTHON_PLACEHOLDER.findall(entry.msgstr)),
                    sorted(PYTHON_PLACEHOLDER.findall(entry.msgid)),
                )

    def test_markup_and_template_expressions_match(self):
        for entry in self.entries:
            with self.subTest(msgid=entry.msgid):
                self.assertEqual(
                    sorted(TAG.findall(entry.msgstr)), sorted(TAG.findall(entry.msgid))
                )
                self.assertEqual(
                    INLINE_TEMPLATE.findall(entry.msgstr),
                    INLINE_TEMPLATE.findall(entry.msgid),
                )

"""The documents a customer receives, as a reader sees them in the PDF: who
writes (name, address, SIREN/SIRET, VAT number, phone, email), to whom, the
claim of a formal notice and its total, the deadline, the closing and the
signature, the numbers in the reader's language, one page, a file name that
says what and whom; the statement of the customer's account page the same."""

import io
import json
import re
import subprocess
from urllib.parse import urlencode

from freezegun import freeze_time

from odoo import fields
from odoo.http import content_disposition
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval

from .common import CreditDunningCommon

NOTICE_DAY = "2025-12-01"


def pdf_text(pdf):
    """The text of a PDF, whitespace (and no-break spaces) squeezed."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return re.sub(r"[\s\u202f\xa0]+", " ", text)


def page_count(pdf):
    return len(PdfFileReader(io.BytesIO(pdf)).pages)


@tagged("post_install", "-at_install")
class TestCustomerDocuments(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["credit_dunning"], ["fr_FR"], overwrite=True
        )
        france = cls.env.ref("base.fr")
        # a French company keeping its books in euros
        euro = cls.env.ref("base.EUR")
        euro.active = True
        cls.company.currency_id = cls.currency = euro
        cls.company.write(
            {
                "name": "Métallerie Dubois SAS",
                "street": "14 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": france.id,
                "phone": "+33 4 78 42 10 10",
                "email": "compta@metallerie-dubois.example.com",
                "vat": "FR19812345676",
                "company_registry": "812 345 676 00012",
                "credit_signatory_name": "Claire Martin",
            }
        )
        cls.company.with_context(lang="en_US").credit_signatory_title = "Credit Manager"
        cls.company.with_context(
            lang="fr_FR"
        ).credit_signatory_title = "Responsable du crédit clients"
        cls.french = cls._make_customer(
            "Hôtel du Parc",
            email="compta@hotel-du-parc.example.com",
            lang="fr_FR",
            street="1 boulevard des Belges",
            zip="69006",
            city="Lyon",
            country_id=france.id,
        )
        cls.english = cls.customer
        cls.english.write(
            {
                "street": "10 Downing Street",
                "zip": "SW1A 2AA",
                "city": "London",
                "country_id": cls.env.ref("base.uk").id,
            }
        )
        (cls.french | cls.english).credit_collector_id = cls.collector
        cls.hold = cls.env.ref("credit_dunning.credit_dunning_level_credit_hold")
        cls.notice_level = cls.env.ref(
            "credit_dunning.credit_dunning_level_formal_notice"
        )

    def _notice(self, partner, amounts=(9648.0, 1176.0)):
        """The formal notice of ``partner`` for invoices due on 1 November
        2025 (interest at the ECB rate of the second half of 2025 + 10
        points: 12.15 %), sent 30 days later with its real PDF."""
        for amount in amounts:
            invoice = self._invoice(partner, amount, "2025-10-02", due="2025-11-01")
            invoice.dunning_level_id = self.hold
        with (
            freeze_time(NOTICE_DAY),
            mute_logger("odoo.addons.base.models.ir_actions_report"),
        ):
            run = (
                self.env["credit.dunning.run"]
                .with_context(force_report_rendering=True)
                ._run(self.company)
            )
        comm = run.communication_ids.filtered(lambda c: c.partner_id == partner)
        self.assertEqual(comm.level_id, self.notice_level)
        self.assertEqual(comm.attachment_id.mimetype, "application/pdf")
        return comm

    def _statement(self, partner):
        access = self.env["credit.dunning.access"]._ensure_for(partner, self.company)[
            partner.id
        ]
        with (
            freeze_time(NOTICE_DAY),
            mute_logger("odoo.addons.base.models.ir_actions_report"),
        ):
            pdf, fmt = (
                self.env["ir.actions.report"]
                .sudo()
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    "credit_dunning.action_report_credit_statement", access.ids
                )
            )
        self.assertEqual(fmt, "pdf")
        return pdf

    def _assert_sender(self, text, french):
        for expected in (
            "Métallerie Dubois SAS",
            "14 rue de la République",
            "69002 Lyon",
            "+33 4 78 42 10 10",
            "compta@metallerie-dubois.example.com",
        ):
            self.assertIn(expected, text)
        if french:
            self.assertIn("SIRET : 812 345 676 00012", text)
            self.assertIn("N° TVA intracommunautaire : FR19812345676", text)
        else:
            self.assertIn("SIRET: 812 345 676 00012", text)
            self.assertIn("Intra-community VAT number: FR19812345676", text)
        self.assertNotIn("VAT:", text)
        self.assertNotIn("Your logo", text)

    def test_formal_notice_in_french(self):
        comm = self._notice(self.french)
        pdf = comm.attachment_id.raw
        text = pdf_text(pdf)
        self._assert_sender(text, french=True)
        for expected in (
            "Lettre recommandée avec accusé de réception",
            "Mise en demeure de payer",
            "Madame, Monsieur,",
            "Hôtel du Parc",
            "1 boulevard des Belges 69006 Lyon Lettre",  # no country at home
            "Lyon, le 01/12/2025",
            "9 648,00 €",
            "1 176,00 €",
            # 30 days at 12.15 %: 96.35 + 11.74
            "Intérêts de retard du 02/11/2025 au 01/12/2025 au taux de 12,15 % 108,09 €",
            "Indemnités forfaitaires de recouvrement : 2 x 40,00 € 80,00 €",
            "Total de la créance 11 012,09 €",
            "la somme de 11 012,09 € dans un délai de huit jours",
            "soit au plus tard le 09/12/2025",
            "9 648,00 € x 12,15 % x 30 jours / 365",
            "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations "
            "distinguées.",
            "Claire Martin",
            "Responsable du crédit clients",
            "Votre compte en ligne",
        ):
            self.assertIn(expected, text)
        for english in (
            "Registered letter",
            "Formal notice",
            "Dear",
            "Total due",
            "VAT number",
            "Credit Manager",
            "Yours faithfully",
            " days ",
            "12.15",
            "9,648.00",
        ):
            self.assertNotIn(english, text)
        self.assertEqual(page_count(pdf), 1, "one page with its QR code")
        self.assertEqual(
            comm.attachment_id.name, "Mise en demeure - Hôtel du Parc - 2025-12-01.pdf"
        )
        # printed from Letters to Print: the same name, and the batch's
        report = self.env.ref("credit_dunning.action_report_dunning_letter")
        self.assertEqual(
            safe_eval(report.print_report_name, {"object": comm}),
            "Mise en demeure - Hôtel du Parc - 2025-12-01",
        )
        with freeze_time("2026-12-07"):
            Comm = self.env["credit.dunning.communication"]
            self.assertEqual(
                Comm.with_context(lang="fr_FR")._credit_letters_filename(),
                "Lettres à imprimer - 2026-12-07.pdf",
            )
            self.assertEqual(
                Comm.with_context(lang="en_US")._credit_letters_filename(),
                "Letters to print - 2026-12-07.pdf",
            )

    def test_formal_notice_in_english(self):
        comm = self._notice(self.english, amounts=(9648.0,))
        pdf = comm.attachment_id.raw
        text = pdf_text(pdf)
        self._assert_sender(text, french=False)
        for expected in (
            "Registered letter with acknowledgement of receipt",
            "Formal notice to pay",
            "Dear Sir or Madam,",
            "10 Downing Street",
            "United Kingdom",  # abroad: the recipient's country
            "Lyon, 12/01/2025",
            "9,648.00 €",
            "Late-payment interest from 11/02/2025 to 12/01/2025 at 12.15% 96.35 €",
            "Fixed recovery indemnities: 1 x 40.00 € 40.00 €",
            "Total of the claim 9,784.35 €",
            "that is by 12/09/2025 at the latest",
            "9,648.00 € x 12.15% x 30 days / 365",
            "Yours faithfully,",
            "Claire Martin",
            "Credit Manager",
            "France",  # the sender's country, abroad
        ):
            self.assertIn(expected, text)
        for french in ("Lettre recommandée", "Madame", "TVA", "12,15", "jours"):
            self.assertNotIn(french, text)
        self.assertEqual(page_count(pdf), 1)
        self.assertEqual(
            comm.attachment_id.name,
            "Formal notice - Dupont Industrie - 2025-12-01.pdf",
        )

    def test_without_signatory_the_credit_department_signs(self):
        self.company.credit_signatory_name = False
        text = pdf_text(self._notice(self.french, amounts=(500.0,)).attachment_id.raw)
        self.assertIn("Service recouvrement", text)
        self.assertNotIn("Claire Martin", text)

    def test_reminder_letter_named_by_its_kind(self):
        first = self.env.ref("credit_dunning.credit_dunning_level_first_reminder")
        first.attach_statement = True
        self._invoice(self.french, 300.0, "2025-10-02", due="2025-11-01")
        with (
            freeze_time("2025-11-06"),
            mute_logger("odoo.addons.base.models.ir_actions_report"),
        ):
            comm = (
                self.env["credit.dunning.run"]
                .with_context(force_report_rendering=True)
                ._run(self.company)
                .communication_ids
            )
        self.assertEqual(comm.level_id, first)
        self.assertEqual(
            comm.attachment_id.name, "Relance - Hôtel du Parc - 2025-11-06.pdf"
        )
        text = pdf_text(comm.attachment_id.raw)
        self._assert_sender(text, french=True)
        self.assertIn("Relevé de compte", text)
        self.assertIn("Claire Martin", text)
        self.assertNotIn("Lettre recommandée", text)
        self.assertNotIn("Total de la créance", text)
        self.assertEqual(page_count(comm.attachment_id.raw), 1)

    def test_statement_says_who_sends_it(self):
        self._invoice(self.french, 9648.0, "2025-10-02", due="2025-11-01")
        self._invoice(self.english, 9648.0, "2025-10-02", due="2025-11-01")
        text = pdf_text(self._statement(self.french))
        self._assert_sender(text, french=True)
        for expected in ("Relevé de compte", "Hôtel du Parc", "9 648,00 €"):
            self.assertIn(expected, text)
        for english in ("Statement", "Total due", "Amount due"):
            self.assertNotIn(english, text)
        text = pdf_text(self._statement(self.english))
        self._assert_sender(text, french=False)
        for expected in ("Statement of account", "Dupont Industrie", "9,648.00 €"):
            self.assertIn(expected, text)

    def test_no_placeholder_logo(self):
        self.assertTrue(self.company.uses_default_logo)
        self.assertFalse(self.company._credit_has_logo())
        self.company.logo = self.company._get_logo()
        self.assertFalse(self.company._credit_has_logo(), "Odoo's “Your logo”")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "credit_dunning.report_credit_statement",
                self.env["credit.dunning.access"]
                ._ensure_for(self.english, self.company)[self.english.id]
                .ids,
            )[0]
            .decode()
        )
        self.assertNotIn("o_credit_logo", html)
        # a logo of its own is printed
        self.company.logo = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
            "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
        self.assertTrue(self.company._credit_has_logo())


@tagged("post_install", "-at_install")
class TestDownloadedFileNames(CreditDunningCommon, HttpCase):
    def test_letters_printed_together_and_the_statement(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_dunning"], ["fr_FR"], overwrite=True
        )
        notice = self.env.ref("credit_dunning.credit_dunning_level_formal_notice")
        other = self._make_customer("Hôtel du Parc", "parc@example.com", lang="fr_FR")
        today = fields.Date.context_today(self.env.user)
        letters = self.env["credit.dunning.communication"].create(
            [
                {
                    "partner_id": partner.id,
                    "recipient_id": partner.id,
                    "company_id": self.company.id,
                    "level_id": notice.id,
                    "date": today,
                }
                for partner in (self.customer, other)
            ]
        )
        self.collector.lang = "fr_FR"
        self.authenticate(self.collector.login, self.collector.login)
        for ids, name in (
            (letters.ids, f"Lettres à imprimer - {today}.pdf"),
            (letters[1].ids, f"Mise en demeure - Hôtel du Parc - {today}.pdf"),
        ):
            url = "/report/pdf/credit_dunning.report_dunning_letter/" + ",".join(
                map(str, ids)
            )
            response = self.url_open(
                "/report/download?" + urlencode({"data": json.dumps([url, "qweb-pdf"])})
            )
            self.assertEqual(response.status_code, 200)
            self.assertEqual(
                response.headers["Content-Disposition"], content_disposition(name)
            )
        # the statement of the customer's account page
        access = self.env["credit.dunning.access"]._ensure_for(other, self.company)[
            other.id
        ]
        self.logout()
        response = self.url_open(f"/my/credit/{access.token}/statement")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Disposition"],
            content_disposition(f"Relevé de compte - Hôtel du Parc - {today}.html"),
        )

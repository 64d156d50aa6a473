"""Letters to Print: the selected letters come out as one PDF from one
wkhtmltopdf call (Debian's wkhtmltopdf takes one input file per call), each
letter on its own pages; the run cuts that one rendering back into each
reminder's own PDF."""

import contextlib
import io
import re
import subprocess
import tempfile
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models import ir_actions_report
from odoo.addons.credit_dunning.dunning_levels import (
    credit_dunning_communication as communication_module,
)

from .common import CreditDunningCommon

LETTER = "credit_dunning.report_dunning_letter"


def pdf_pages(pdf):
    """The text of each page of a PDF (pdftotext)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", file.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    # pdftotext ends every page with a form feed; lines wrap where the
    # columns are narrow: compared without whitespace
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


def squeezed(text):
    return re.sub(r"\s+", "", text)


@tagged("post_install", "-at_install")
class TestLettersOneFile(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"street": "1 Rue du Siège", "city": "Lyon"})
        level = cls.env.ref("credit_dunning.credit_dunning_level_first_reminder")
        cls.letters = cls.env["credit.dunning.communication"]
        # created out of alphabetical order: the printout sorts them
        for name, rows in (("Gamma Textiles", 1), ("Alpha Metals", 2), ("Beta", 60)):
            customer = cls._make_customer(
                name, street=f"{rows} Avenue {name}", city="Grenoble", zip="38000"
            )
            invoices = cls.env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": "2026-01-05",
                        "invoice_date_due": "2026-02-04",
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Goods", "price_unit": 100, "tax_ids": []}
                            )
                        ],
                    }
                    for _row in range(rows)
                ]
            )
            invoices.action_post()
            comm = cls.env["credit.dunning.communication"].create(
                {
                    "partner_id": customer.id,
                    "recipient_id": customer.id,
                    "company_id": cls.company.id,
                    "level_id": level.id,
                    "date": "2026-03-01",
                    "state": "to_print",
                }
            )
            # Beta's letter lists 60 rows: it runs over two pages at least
            cls.env["credit.dunning.communication.line"].create(
                [
                    {
                        "communication_id": comm.id,
                        "move_id": invoice.id,
                        "level_id": level.id,
                        "date_maturity": "2026-02-04",
                        "days_overdue": 25,
                        "amount_residual": 100.0,
                        "amount_residual_currency": 100.0,
                        "currency_id": cls.currency.id,
                    }
                    for invoice in invoices
                ]
            )
            cls.letters |= comm
        cls.portal_user = new_test_user(
            cls.env, login="letters_portal", groups="base.group_portal"
        )

    @contextlib.contextmanager
    def _spy_wkhtmltopdf(self):
        """Counts the wkhtmltopdf processes. No HTTP server runs here:
        wkhtmltopdf cannot load the report's styles and fonts and Odoo
        warns about it (the text is then in the system fonts, which
        pdftotext reads)."""
        with (
            patch.object(
                ir_actions_report,
                "_run_wkhtmltopdf",
                wraps=ir_actions_report._run_wkhtmltopdf,
            ) as spy,
            self.assertLogs(ir_actions_report.__name__, "WARNING") as logs,
        ):
            yield spy
        self.assertTrue(all("network error" in line for line in logs.output))

    def _marks(self, pdf):
        """The account-page link each page starts a letter with."""
        reader = PdfFileReader(io.BytesIO(pdf))
        return [
            [
                (annotation.get_object().get("/A") or {}).get("/URI")
                for annotation in page.get("/Annots") or []
            ]
            for page in reader.pages
        ]

    def _starts(self, pages):
        """{customer name: index of the page its letter starts on}: the page
        with its address window."""
        return {
            comm.partner_id.name: next(
                (
                    index
                    for index, page in enumerate(pages)
                    if squeezed(f"Avenue {comm.partner_id.name}") in page
                ),
                None,
            )
            for comm in self.letters
        }

    def test_selected_letters_print_as_one_pdf_from_one_call(self):
        action = self.letters.with_user(self.collector).action_print_letter()
        self.assertEqual(action["type"], "ir.actions.report")
        ordered = self.env["credit.dunning.communication"].browse(
            action["context"]["active_ids"]
        )
        self.assertEqual(
            ordered.partner_id.mapped("name"),
            ["Alpha Metals", "Beta", "Gamma Textiles"],
        )
        # what the client's download does with the action (as the collector)
        with self._spy_wkhtmltopdf() as spy:
            pdf, fmt = (
                self.env["ir.actions.report"]
                .with_user(self.collector)
                .with_context(action["context"], force_report_rendering=True)
                ._render_qweb_pdf(LETTER, ordered.ids)
            )
        self.assertEqual(fmt, "pdf")
        self.assertEqual(spy.call_count, 1, "one wkhtmltopdf call for three letters")
        pages = pdf_pages(pdf)
        starts = self._starts(pages)
        # each letter starts on a page of its own, in the printed order,
        # with its sender block and its own address window
        self.assertEqual(starts["Alpha Metals"], 0)
        self.assertLess(starts["Alpha Metals"], starts["Beta"])
        self.assertGreater(starts["Gamma Textiles"], starts["Beta"] + 1)
        self.assertEqual(len(pages), starts["Gamma Textiles"] + 1)
        for name, index in starts.items():
            self.assertIn(squeezed("1 Rue du Siège"), pages[index], name)
            others = {"Alpha Metals", "Beta", "Gamma Textiles"} - {name}
            self.assertFalse(
                any(squeezed(f"Avenue {other}") in pages[index] for other in others),
                name,
            )
        # Beta's second page carries the rest of its invoices, no other letter
        beta_rest = pages[starts["Beta"] + 1]
        self.assertIn("25", beta_rest)
        self.assertNotIn("Avenue", beta_rest)
        # each first page starts with a link to its customer's account page
        marks = self._marks(pdf)
        for comm in ordered:
            self.assertIn(comm.credit_portal_url, marks[starts[comm.partner_id.name]])

    def test_run_cuts_the_one_rendering_per_reminder(self):
        comms = self.letters.with_context(force_report_rendering=True)
        with (
            patch.dict(communication_module._BATCH_RENDERING, possible=True),
            self._spy_wkhtmltopdf() as spy,
        ):
            comms._render_statement()
        self.assertEqual(spy.call_count, 1)
        for comm in self.letters:
            attachment = comm.attachment_id
            self.assertEqual(attachment.mimetype, "application/pdf")
            pages = pdf_pages(attachment.raw)
            name = comm.partner_id.name
            self.assertIn(squeezed(f"Avenue {name}"), pages[0], name)
            self.assertEqual(len(pages) > 1, name == "Beta", name)
            for other in self.letters - comm:
                self.assertNotIn(
                    squeezed(f"Avenue {other.partner_id.name}"), "".join(pages), name
                )

    def test_only_credit_users_print_letters(self):
        for user in (self.salesman, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.letters.with_user(user).action_print_letter()

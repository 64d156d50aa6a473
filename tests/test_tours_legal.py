import subprocess
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestLegalTours(CreditDunningCommon, HttpCase):
    """What a credit manager does in the browser at the end of the ladder
    (static/tests/tours/credit_evidence_pack.js). The browser runs on the
    real clock: the dates are relative to today."""

    @staticmethod
    def _pdf_text(content):
        return subprocess.run(
            ["pdftotext", "-", "-"], input=content, check=True, capture_output=True
        ).stdout

    # Debian's wkhtmltopdf (unpatched Qt) warns about header switches: not
    # this addon's warnings.
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_credit_manager_builds_the_evidence_pack(self):
        today = fields.Date.context_today(self.env.user)
        # a reference rate for every half-year of the delay
        for start in {today.replace(month=1, day=1), today.replace(month=7, day=1)}:
            if not self.env["credit.reference.rate"].search_count(
                [("date_from", "=", start)]
            ):
                self.env["credit.reference.rate"].create(
                    {"date_from": start, "rate": 2.0, "company_id": self.company.id}
                )
        self._invoice(
            self.customer,
            1000,
            today - timedelta(days=40),
            due=today - timedelta(days=10),
        )
        self.start_tour(
            "/odoo", "credit_evidence_pack", login=self.credit_manager.login
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("mimetype")),
            ["application/pdf", "application/zip"],
        )
        pdf = attachments.filtered(lambda a: a.mimetype == "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        note = self.customer.message_ids.filtered(
            lambda m: "Evidence pack built by" in (m.body or "")
        )
        self.assertEqual(note.author_id, self.credit_manager.partner_id)
        self.assertIn("1,000.00", note.body)
        # the cover and the invoice
        self.assertGreaterEqual(self._pdf_text(pdf.raw).count(b"\x0c"), 2)

import subprocess
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon
from .test_insolvency import notice


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

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_credit_manager_declares_the_claim(self):
        """static/tests/tours/credit_insolvency_claim.js: the task opened
        from the worklist, the declaration printed and recorded as sent."""
        today = fields.Date.context_today(self.env.user)
        for start in {
            (today - timedelta(days=60)).replace(day=1, month=1),
            (today - timedelta(days=60)).replace(day=1, month=7),
            today.replace(month=1, day=1),
            today.replace(month=7, day=1),
        }:
            if not self.env["credit.reference.rate"].search_count(
                [("date_from", "=", start)]
            ):
                self.env["credit.reference.rate"].create(
                    {"date_from": start, "rate": 2.0, "company_id": self.company.id}
                )
        lefevre = self._make_customer(
            "Garage Lefèvre", company_registry="81234567800017"
        )
        before = self._invoice(
            lefevre, 1000, today - timedelta(days=60), due=today - timedelta(days=30)
        )
        before |= self._invoice(
            lefevre, 500, today - timedelta(days=45), due=today - timedelta(days=15)
        )
        after = self._invoice(
            lefevre, 200, today - timedelta(days=5), due=today + timedelta(days=25)
        )
        record = notice(
            "A-TOUR-1",
            "812345678",
            fields.Date.to_string(today - timedelta(days=3)),
            judged=fields.Date.to_string(today - timedelta(days=10)),
        )
        self.env["credit.insolvency.proceeding"]._import_notices(
            [(2, record)], self.company
        )
        proceeding = self.env["credit.insolvency.proceeding"].search(
            [("partner_id", "=", lefevre.id)]
        )
        self.assertEqual(proceeding.move_ids, before)
        self.assertNotIn(after, proceeding.move_ids)
        total = proceeding._declaration_values()["total"]

        self.start_tour(
            "/odoo", "credit_insolvency_claim", login=self.credit_manager.login
        )
        self.assertEqual(proceeding.claim_state, "declared")
        self.assertEqual(proceeding.claim_date, today)
        self.assertEqual(proceeding.claim_amount, total)
        self.assertEqual(proceeding.representative, "SELARL MJ Synergie, Lyon")
        pdf = proceeding.declaration_attachment_id
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        # one page for two invoices (the text itself is checked in
        # test_insolvency: here the report's web fonts are not extractable)
        self.assertEqual(self._pdf_text(pdf.raw).count(b"\x0c"), 1)
        declare = self.env.ref("credit_dunning.mail_activity_type_insolvency_declare")
        self.assertFalse(
            proceeding.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id == declare and a.user_id == self.credit_manager
                )
            )
        )

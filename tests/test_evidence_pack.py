import base64
import io
import subprocess
import tempfile
import zipfile
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon


def pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(
            ["pdftotext", "-layout", pdf.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_pages(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        info = subprocess.run(
            ["pdfinfo", pdf.name], check=True, capture_output=True, text=True
        ).stdout
    return int(next(li.split()[-1] for li in info.splitlines() if "Pages" in li))


@tagged("post_install", "-at_install")
class TestEvidencePack(CreditDunningCommon):
    """The lawyer's evidence pack of Dupont Industrie as of 1 March 2026:

    - INV A 1,000.00 due 10 Dec 2025, 400.00 paid on 15 Jan 2026: interest
      2nd half of 2025 (12.15 %: 2.15 + 10 points) 1,000 x 21 days = 6.99;
      1st half of 2026 (12 %) 1,000 x 15 days + 600 x 45 days = 13.81;
    - INV B 250.00 due 1 Feb 2026: 250 x 12 % x 28 days / 365 = 2.30;
    - principal 850.00, interest 23.10 (half-years 6.99 and 16.11),
      indemnities 2 x 40 EUR = 2 x 20.00 USD, total 913.10.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        cls.company.company_registry = "123 456 789 00012"
        cls.customer.write(
            {
                "company_registry": "987 654 321 00011",
                "street": "5 avenue Foch",
                "zip": "75008",
                "city": "Paris",
            }
        )
        cls.inv_a = cls._invoice(cls.customer, 1000, "2025-11-10", due="2025-12-10")
        cls._pay(cls.inv_a, 400, "2026-01-15")
        cls.inv_b = cls._invoice(cls.customer, 250, "2026-01-02", due="2026-02-01")
        cls.inv_paid = cls._invoice(cls.customer, 90, "2025-10-01", due="2025-10-31")
        cls._pay(cls.inv_paid, 90, "2025-10-20")
        cls.notice_level = cls.env.ref(
            "credit_dunning.credit_dunning_level_formal_notice"
        )
        cls.reminder_level = cls.env.ref(
            "credit_dunning.credit_dunning_level_first_reminder"
        )
        cls.reminder = cls._reminder(cls.reminder_level, "2026-01-15", "sent", "email")
        cls.notice = cls._reminder(
            cls.notice_level, "2026-02-05", "printed", "email, letter"
        )
        letter = cls.env["ir.attachment"].create(
            {
                "name": "Formal notice.pdf",
                "raw": cls._tiny_pdf("FORMAL NOTICE LETTER"),
                "mimetype": "application/pdf",
                "res_model": "credit.dunning.communication",
                "res_id": cls.notice.id,
            }
        )
        cls.notice.attachment_id = letter
        with freeze_time("2026-01-20"):  # a promise is for a date to come
            promise = cls.env["credit.dunning.promise"].create(
                {
                    "partner_id": cls.customer.id,
                    "move_ids": [Command.set(cls.inv_a.ids)],
                    "date": "2026-01-31",
                    "amount": 600,
                }
            )
        promise.state = "broken"
        cls.pack_user = new_test_user(
            cls.env, login="cd_portal_pack", groups="base.group_portal"
        )

    @classmethod
    def _tiny_pdf(cls, text):
        """A one-page PDF saying ``text`` (a scanned proof, a letter)."""
        stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        out = io.BytesIO()
        out.write(b"%PDF-1.4\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref)
        )
        return out.getvalue()

    @classmethod
    def _reminder(cls, level, day, state, channels):
        invoices = cls.inv_a | cls.inv_b
        return (
            cls.env["credit.dunning.communication"]
            .sudo()
            .create(
                {
                    "partner_id": cls.customer.id,
                    "recipient_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "level_id": level.id,
                    "date": day,
                    "state": state,
                    "channels": channels,
                    "amount_overdue": 850,
                    "line_ids": [
                        Command.create(
                            {
                                "move_id": invoice.id,
                                "level_id": level.id,
                                "date_maturity": invoice.invoice_date_due,
                                "amount_residual": invoice.amount_residual_signed,
                            }
                        )
                        for invoice in invoices
                    ],
                }
            )
        )

    def test_figures_to_the_cent(self):
        figures = self.customer._credit_legal_figures(self.company, date(2026, 3, 1))
        self.assertEqual(
            [row["move"] for row in figures["invoices"]], [self.inv_a, self.inv_b]
        )
        self.assertEqual(
            [row["interest"] for row in figures["invoices"]], [20.80, 2.30]
        )
        self.assertEqual(
            [
                (str(h["start"]), h["rate"], h["interest"])
                for h in figures["half_years"]
            ],
            [("2025-07-01", 12.15, 6.99), ("2026-01-01", 12.0, 16.11)],
        )
        self.assertEqual(figures["principal"], 850.00)
        self.assertEqual(figures["interest"], 23.10)
        self.assertEqual(figures["indemnity"], 40.00)
        self.assertEqual(figures["total"], 913.10)

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_pack_content_attachments_and_chatter(self):
        # the collector records the acknowledgement of receipt
        self.notice.with_user(self.collector).write(
            {
                "delivery_proof": base64.b64encode(self._tiny_pdf("AR 1A2B3C")),
                "delivery_proof_filename": "AR 1A2B3C.pdf",
                "delivery_proof_date": "2026-02-07",
            }
        )
        before = self.customer.message_ids
        with freeze_time("2026-03-01"):
            action = self.customer.with_user(
                self.credit_manager
            ).action_credit_evidence_pack()
        self.assertEqual(action["params"]["type"], "success")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        pdf = attachments.filtered(lambda a: a.mimetype == "application/pdf")
        archive = attachments.filtered(lambda a: a.mimetype == "application/zip")
        self.assertEqual(pdf.name, "Evidence pack Dupont Industrie 2026-03-01.pdf")
        self.assertEqual(archive.name, "Evidence pack Dupont Industrie 2026-03-01.zip")
        # the chatter: one note with both files and the total
        note = self.customer.message_ids - before
        self.assertEqual(len(note), 1)
        self.assertEqual(note.attachment_ids, attachments)
        self.assertEqual(note.author_id, self.credit_manager.partner_id)
        self.assertIn("913.10", note.body)
        self.assertIn("Marc Credit Manager", note.body)

        text = " ".join(pdf_text(pdf.raw).split())
        # cover: creditor and debtor with their identifiers
        self.assertIn("Company ID (SIRET): 123 456 789 00012", text)
        self.assertIn("Company ID (SIRET): 987 654 321 00011", text)
        self.assertIn("5 avenue Foch", text)
        # the amounts, to the cent
        self.assertRegex(text, r"Principal: overdue invoices \(2\) \$ 850\.00")
        self.assertIn(
            "2nd half of 2025 (12/11/2025 - 12/31/2025, 12.15 % per year) $ 6.99", text
        )
        self.assertIn(
            "1st half of 2026 (01/01/2026 - 03/01/2026, 12 % per year) $ 16.11", text
        )
        self.assertRegex(text, r"Total late-payment interest .*\$ 23\.10")
        self.assertRegex(text, r"2 late invoice\(s\) x 40\.00 € \(\$ 20\.00\)")
        self.assertRegex(text, r"D441-5\) \$ 40\.00")
        self.assertRegex(text, r"Total claimed \$ 913\.10")
        self.assertIn(self.inv_a.name, text)
        self.assertIn(self.inv_b.name, text)
        self.assertNotIn(self.inv_paid.name, text)
        # the history: reminders with date and channel, the notice delivered,
        # the broken promise, the payment received
        self.assertRegex(text, r"01/15/2026 First reminder Email Sent")
        self.assertRegex(text, r"02/05/2026 Formal notice Email, Letter Printed")
        self.assertIn("delivered on 02/07/2026, proof attached (AR 1A2B3C.pdf)", text)
        self.assertRegex(text, r"\d\d/\d\d/\d{4} 01/31/2026 \$ 600\.00 Broken")
        self.assertRegex(text, r"01/15/2026 .* " + self.inv_a.name + r" \$ 400\.00")
        # then the originals: the invoices, the letter, the delivery proof
        self.assertIn("FORMAL NOTICE LETTER", text)
        self.assertIn("AR 1A2B3C", text)
        self.assertLess(text.index("Total claimed"), text.index("FORMAL NOTICE LETTER"))
        # cover + 2 invoices + 1 letter + 1 proof, at least a page each
        self.assertGreaterEqual(pdf_pages(pdf.raw), 5)

        with zipfile.ZipFile(io.BytesIO(archive.raw)) as files:
            names = files.namelist()
            self.assertEqual(
                names,
                [
                    "00 Cover sheet.pdf",
                    f"Invoice {self.inv_a.name.replace('/', '_')}.pdf",
                    f"Invoice {self.inv_b.name.replace('/', '_')}.pdf",
                    "2026-02-05 Formal notice.pdf",
                    "2026-02-07 Delivery proof AR 1A2B3C.pdf",
                ],
            )
            for name in names:
                self.assertTrue(files.read(name).startswith(b"%PDF"), name)
            self.assertIn(
                self.inv_b.name,
                pdf_text(files.read(names[2])),
                "the invoice as Odoo prints it",
            )

    def test_delivery_proof_on_a_formal_notice_only(self):
        with self.assertRaises(ValidationError):
            self.reminder.delivery_proof_date = "2026-01-20"
        with self.assertRaises(ValidationError):
            self.notice.delivery_proof_date = "2026-02-01"  # before it was sent

    def test_delivery_proof_by_credit_control_only(self):
        for user in (self.salesman, self.pack_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.notice.with_user(user).delivery_proof_date = "2026-02-07"
        self.assertFalse(self.notice.delivery_proof_date)
        self.notice.with_user(self.collector).delivery_proof_date = "2026-02-07"
        self.assertEqual(str(self.notice.delivery_proof_date), "2026-02-07")

    def test_nothing_to_claim(self):
        with (
            freeze_time("2025-12-01"),
            self.assertRaisesRegex(
                UserError, "Dupont Industrie has no overdue invoice"
            ),
        ):
            self.customer.with_user(self.credit_manager).action_credit_evidence_pack()

    def test_credit_managers_only(self):
        for user in (self.collector, self.salesman, self.pack_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).action_credit_evidence_pack()
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            )
        )

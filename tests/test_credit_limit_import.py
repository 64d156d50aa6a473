import base64
import io

import openpyxl
import xlwt
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditDunningCommon

HEADER = ["Partner", "Limit", "Currency", "Cash only", "Hold", "Reason"]


def _csv(rows, sep=";"):
    lines = [sep.join(HEADER)] + [sep.join(str(c) for c in row) for row in rows]
    return "\n".join(lines).encode()


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _xls(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Limits")
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestCreditLimitImport(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alpha = cls._make_customer("Alpha", ref="C001")
        cls.beta = cls._make_customer("Beta", vat="BE0477472701")
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])

    def _wizard(self, content, filename):
        return (
            self.env["credit.limit.import.wizard"]
            .with_user(self.credit_manager)
            .create({"file": base64.b64encode(content), "filename": filename})
        )

    def _check_good_import(self, wizard):
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.error_count, 0)
        self.assertEqual(len(wizard.line_ids), 2)
        wizard.action_import()
        self.assertAlmostEqual(self.alpha.credit_limit, 15000)
        self.assertTrue(self.alpha.credit_hold)
        self.assertEqual(self.alpha.credit_hold_reason, "Insurer: cover cut")
        self.assertEqual(self.alpha.credit_hold_origin, "import")
        # 8,000 EUR at 2 EUR per USD
        self.assertAlmostEqual(self.beta.credit_limit, 4000)
        self.assertTrue(self.beta.cash_only)
        self.assertFalse(self.beta.credit_hold)
        self.assertIn("Cash-only set", self.beta.message_ids[0].body)

    def test_csv(self):
        content = _csv(
            [
                ("C001", "15000", "", "no", "yes", "Insurer: cover cut"),
                ("BE0477472701", "8000,00", "EUR", "oui", "", "Insurer grade C"),
            ]
        )
        self._check_good_import(self._wizard(content, "limits.csv"))

    def test_xlsx(self):
        content = _xlsx(
            [
                ("C001", 15000, "", "no", "yes", "Insurer: cover cut"),
                ("BE0477472701", 8000, "EUR", "yes", "no", "Insurer grade C"),
            ]
        )
        self._check_good_import(self._wizard(content, "limits.xlsx"))

    def test_xls(self):
        content = _xls(
            [
                ("C001", 15000, "", "no", "yes", "Insurer: cover cut"),
                ("BE0477472701", 8000, "EUR", "yes", "no", "Insurer grade C"),
            ]
        )
        self._check_good_import(self._wizard(content, "limits.xls"))

    def test_bad_rows_write_nothing(self):
        self.alpha.credit_limit = 100
        content = _csv(
            [
                ("C001", "15000", "", "no", "yes", "ok"),
                ("C999", "100", "", "", "", "unknown"),
                ("BE0477472701", "lots", "", "", "", "bad number"),
                ("C001", "200", "", "", "", "duplicate"),
                ("BE0477472701", "10", "XXX", "maybe", "", "bad currency and flag"),
            ]
        )
        wizard = self._wizard(content, "limits.csv")
        wizard.action_preview()
        errors = {line.row: line.error for line in wizard.line_ids if line.error}
        self.assertEqual(set(errors), {3, 4, 5, 6})
        self.assertIn("unknown partner “C999”", errors[3])
        self.assertIn("bad number “lots”", errors[4])
        self.assertIn("duplicate of row 2", errors[5])
        self.assertIn("unknown currency “XXX”", errors[6])
        self.assertIn("“maybe” is not yes/no", errors[6])
        with self.assertRaises(UserError) as error:
            wizard.action_import()
        self.assertIn("Nothing was imported", str(error.exception))
        self.assertIn("Row 3: unknown partner", str(error.exception))
        self.assertAlmostEqual(self.alpha.credit_limit, 100)
        self.assertFalse(self.alpha.credit_hold)

    def test_wrong_file_type(self):
        with self.assertRaises(UserError) as error:
            self._wizard(b"%PDF-1.4", "limits.pdf").action_preview()
        self.assertIn("Unsupported file type", str(error.exception))
        with self.assertRaises(UserError) as error:
            self._wizard(b"not a spreadsheet", "limits.xlsx").action_preview()
        self.assertIn("cannot be read", str(error.exception))
        with self.assertRaises(UserError) as error:
            self._wizard(b"Name;Amount\nC001;5", "limits.csv").action_preview()
        self.assertIn("Missing column(s): limit, partner", str(error.exception))

    def test_only_credit_managers(self):
        content = _csv([("C001", "15000", "", "", "", "")])
        wizard = self._wizard(content, "limits.csv")
        wizard.action_preview()
        with self.assertRaises(AccessError):
            wizard.with_user(self.collector).action_import()
        self.assertAlmostEqual(self.alpha.credit_limit, 0)

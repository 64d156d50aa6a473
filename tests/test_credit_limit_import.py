import base64
import io

import openpyxl
import xlwt
from freezegun import freeze_time
from openpyxl.styles import Font

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditDunningCommon

HEADER = ("Partner", "Limit", "Currency", "Cash only", "Hold", "Reason")


def _csv(rows, header=HEADER, sep=";", encoding="utf-8", newline="\n"):
    lines = [sep.join(header)] + [sep.join(str(c) for c in row) for row in rows]
    return newline.join(lines).encode(encoding)


def _xlsx(rows, header=HEADER):
    """A workbook the way Excel saves one: a bold header, numbers and
    TRUE/FALSE as typed cells, empty cells, and a second sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Limits"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for cell in sheet["B"][1:]:
        cell.number_format = "#,##0.00"
    book.create_sheet("Notes").append(["Not read", "", "", "", "", ""])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _xls(rows, header=HEADER):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Limits")
    bold = xlwt.easyxf("font: bold on")
    amount = xlwt.easyxf(num_format_str="#,##0.00")
    for c, title in enumerate(header):
        sheet.write(0, c, title, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            style = (
                amount if isinstance(value, int | float) else xlwt.Style.default_style
            )
            sheet.write(r, c, value, style)
    book.add_sheet("Notes").write(0, 0, "Not read")
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
        cls.portal_user = new_test_user(
            cls.env, login="cd_portal", name="Paula Portal", groups="base.group_portal"
        )

    def _wizard(self, content, filename):
        return (
            self.env["credit.limit.import.wizard"]
            .with_user(self.credit_manager)
            .create({"file": base64.b64encode(content), "filename": filename})
        )

    def _set_limit(self, partner, amount):
        partner.sudo().credit_limit = amount

    def _line(self, wizard, partner):
        return wizard.line_ids.filtered(lambda line: line.partner_id == partner)

    def _assert_user_error(self, wizard, *texts):
        with self.assertRaises(UserError) as error:
            wizard.action_preview()
        for text in texts:
            self.assertIn(text, str(error.exception))
        self.assertEqual(wizard.state, "upload")
        self.assertFalse(wizard.line_ids)

    def _check_good_import(self, wizard):
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.error_count, 0)
        self.assertEqual(len(wizard.line_ids), 2)
        result = wizard.action_import()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(
            "2 customers updated: 2 limits, 1 hold set, 1 cash-only set",
            result["params"]["message"],
        )
        self.assertAlmostEqual(self.alpha.credit_limit, 15000)
        self.assertTrue(self.alpha.credit_hold)
        self.assertEqual(self.alpha.credit_hold_reason, "Insurer: cover cut")
        self.assertEqual(self.alpha.credit_hold_origin, "import")
        # 8,000 EUR at 2 EUR per USD
        self.assertAlmostEqual(self.beta.credit_limit, 4000)
        self.assertTrue(self.beta.cash_only)
        self.assertFalse(self.beta.credit_hold)
        self.assertTrue(
            any(
                "Cash-only set" in body for body in self.beta.message_ids.mapped("body")
            )
        )

    # ------------------------------------------------------------------
    # Formats
    # ------------------------------------------------------------------
    def test_csv(self):
        content = _csv(
            [
                ("C001", "15000", "", "no", "yes", "Insurer: cover cut"),
                ("BE0477472701", "8000,00", "EUR", "oui", "", "Insurer grade C"),
            ]
        )
        self._check_good_import(self._wizard(content, "limits.csv"))

    def test_french_excel_csv(self):
        """What French Excel writes with “CSV (separator: semicolon)”: Windows
        encoding, French titles, CRLF, a non-breaking space between
        thousands, a decimal comma; sometimes a sep= line or a UTF-8 BOM."""
        header = ["Référence", "Limite de crédit", "Devise", "Comptant", "Blocage"]
        header.append("Motif")
        rows = [
            ("C001", "15\xa0000,00", "", "non", "oui", "Assureur : garantie réduite"),
            ("BE0477472701", "8\xa0000,00", "EUR", "oui", "non", "Cote dégradée"),
        ]
        variants = {
            "cp1252": _csv(rows, header, encoding="cp1252", newline="\r\n"),
            "sep line": b"sep=;\r\n"
            + _csv(rows, header, encoding="cp1252", newline="\r\n"),
            "utf-8 BOM": "\ufeff".encode() + _csv(rows, header, newline="\r\n"),
            # Excel's “Unicode text”: UTF-16 with a BOM, tab-separated
            "utf-16": _csv(rows, header, sep="\t", encoding="utf-16", newline="\r\n"),
        }
        for variant, content in variants.items():
            with self.subTest(variant=variant):
                self.alpha.sudo().credit_limit = 0
                self._set_flags(self.alpha, credit_hold=False)
                self._set_flags(self.beta, cash_only=False)
                wizard = self._wizard(content, "Limites clients.csv")
                wizard.action_preview()
                self.assertEqual(wizard.error_count, 0, wizard.line_ids.mapped("error"))
                wizard.action_import()
                self.assertAlmostEqual(self.alpha.credit_limit, 15000)
                self.assertTrue(self.alpha.credit_hold)
                self.assertEqual(
                    self.alpha.credit_hold_reason, "Assureur : garantie réduite"
                )
                self.assertAlmostEqual(self.beta.credit_limit, 4000)
                self.assertEqual(self.beta.cash_only_reason, "Cote dégradée")

    def test_xlsx(self):
        content = _xlsx(
            [
                ("C001", 15000, None, False, True, "Insurer: cover cut"),
                ("BE0477472701", 8000, "EUR", True, "no", "Insurer grade C"),
            ]
        )
        self._check_good_import(self._wizard(content, "limits.xlsx"))

    def test_xls(self):
        content = _xls(
            [
                ("C001", 15000, None, False, True, "Insurer: cover cut"),
                ("BE0477472701", 8000, "EUR", True, "no", "Insurer grade C"),
            ]
        )
        self._check_good_import(self._wizard(content, "limits.xls"))

    def test_excel_cells(self):
        """Excel types what the user typed: a reference 1001 is a number, an
        empty cell is no value, a formula error is #N/A; blank rows keep the
        row numbers of the sheet."""
        gamma = self._make_customer("Gamma", ref="1001")
        self._set_limit(gamma, 500)
        self._set_flags(gamma, credit_hold=True)
        rows = [
            (1001, 2500.5, None, None, None, None),
            (None, None, None, None, None, None),
            ("C001", "#N/A", None, None, None, None),
        ]
        for filename, content in (("limits.xlsx", _xlsx(rows)), ("l.xls", _xls(rows))):
            with self.subTest(filename=filename):
                wizard = self._wizard(content, filename)
                wizard.action_preview()
                self.assertEqual(wizard.line_ids.mapped("row"), [2, 4])
                line = self._line(wizard, gamma)
                self.assertFalse(line.error)
                self.assertIn("2,500.50", line.limit_change)
                self.assertEqual(line.hold_change, "unchanged (Yes)")
                self.assertIn("bad number “#N/A”", self._line(wizard, self.alpha).error)

    def test_number_formats(self):
        customers = {
            "15 000,50": 15000.5,
            "1.500.000": 1500000,
            "1,500,000": 1500000,
            "1,500.50": 1500.5,
            "1.500,50": 1500.5,
            "2500.5": 2500.5,
            "0,5": 0.5,
            "0": 0,
        }
        partners = {}
        rows = []
        for index, text in enumerate(customers):
            ref = f"N{index}"
            partners[text] = self._make_customer(f"Number {index}", ref=ref)
            rows.append((ref, text, "", "", "", ""))
        wizard = self._wizard(_csv(rows), "limits.csv")
        wizard.action_preview()
        self.assertEqual(wizard.error_count, 0, wizard.line_ids.mapped("error"))
        for text, amount in customers.items():
            with self.subTest(text=text):
                line = self._line(wizard, partners[text])
                self.assertAlmostEqual(line.limit, amount)

    # ------------------------------------------------------------------
    # Files that cannot be imported
    # ------------------------------------------------------------------
    def test_empty_file(self):
        empty_book = openpyxl.Workbook()
        stream = io.BytesIO()
        empty_book.save(stream)
        for filename, content in (
            ("limits.csv", b""),
            ("limits.csv", b"\r\n ;; \r\n"),
            ("limits.csv", "\ufeff".encode()),
            ("limits.xlsx", stream.getvalue()),
        ):
            with self.subTest(filename=filename, content=content[:10]):
                self._assert_user_error(
                    self._wizard(content, filename),
                    f"The file “{filename}” is empty",
                )

    def test_header_without_rows(self):
        for filename, content in (
            ("limits.csv", b"Partner;Limit;Hold\r\n"),
            ("limits.csv", b"Partner;Limit;Hold\r\n;;\r\n"),
            ("limits.xlsx", _xlsx([])),
            ("limits.xls", _xls([])),
        ):
            with self.subTest(filename=filename):
                self._assert_user_error(
                    self._wizard(content, filename),
                    "has a header but no customer rows: nothing to import",
                )

    def test_wrong_file(self):
        self._assert_user_error(
            self._wizard(b"%PDF-1.4", "limits.pdf"), "Unsupported file type"
        )
        self._assert_user_error(
            self._wizard(b"not a spreadsheet", "limits.xlsx"),
            "cannot be read: it is not an Excel workbook",
        )
        self._assert_user_error(
            self._wizard(b"PK\x03\x04broken", "limits.xlsx"), "cannot be read"
        )
        self._assert_user_error(
            self._wizard(b"Name;Amount\nC001;5", "limits.csv"),
            "no column for the customer",
            "client, partenaire, référence or TVA",
        )
        self._assert_user_error(
            self._wizard(b"Client;Motif\nC001;5", "limits.csv"),
            "no column to import",
            "limite or limite de crédit, comptant, blocage",
        )
        self._assert_user_error(
            self._wizard(b"Ref;Limit;Limite\nC001;5;6", "limits.csv"),
            "The columns “Limit” and “Limite” both give the credit limit",
        )

    def test_non_finite_numbers(self):
        self._set_limit(self.alpha, 8000)
        for value in ("NaN", "inf", "-inf", "Infinity", "1e400"):
            with self.subTest(value=value):
                content = _csv([("C001", value, "", "", "", "")])
                wizard = self._wizard(content, "limits.csv")
                wizard.action_preview()
                self.assertEqual(
                    wizard.line_ids.error, f"the limit “{value}” is not a finite number"
                )
                with self.assertRaises(UserError):
                    wizard.action_import()
                self.assertAlmostEqual(self.alpha.credit_limit, 8000)

    def test_bad_rows_write_nothing(self):
        self._set_limit(self.alpha, 100)
        content = _csv(
            [
                ("C001", "15000", "", "no", "yes", "ok"),
                ("C999", "100", "", "", "", "unknown"),
                ("BE0477472701", "lots", "", "", "", "bad number"),
                ("C001", "200", "", "", "", "duplicate"),
                ("BE0477472701", "10", "XXX", "maybe", "", "bad currency and flag"),
                ("BE0477472701", "15,000", "", "", "", "ambiguous"),
                ("BE0477472701", "1e20", "", "", "", "too large"),
                ("BE0477472701", "-5", "", "", "", "negative"),
            ]
        )
        wizard = self._wizard(content, "limits.csv")
        wizard.action_preview()
        errors = {line.row: line.error for line in wizard.line_ids if line.error}
        self.assertEqual(set(errors), {3, 4, 5, 6, 7, 8, 9})
        self.assertIn("unknown partner “C999”", errors[3])
        self.assertIn("bad number “lots”", errors[4])
        self.assertIn("duplicate of row 2", errors[5])
        self.assertIn("unknown or inactive currency “XXX”", errors[6])
        self.assertIn("“maybe” is not yes/no", errors[6])
        self.assertIn("ambiguous limit “15,000”", errors[7])
        self.assertIn("the limit “1e20” is too large", errors[8])
        self.assertIn("negative limit “-5”", errors[9])
        self.assertIn("7 of 8 rows are wrong", wizard.summary)
        with self.assertRaises(UserError) as error:
            wizard.action_import()
        self.assertIn("Nothing was imported", str(error.exception))
        self.assertIn("Row 3: unknown partner", str(error.exception))
        self.assertAlmostEqual(self.alpha.credit_limit, 100)
        self.assertFalse(self.alpha.credit_hold)

    def test_one_reference_for_two_customers(self):
        self._make_customer("Alpha Bis", ref="C001")
        wizard = self._wizard(_csv([("C001", "5", "", "", "", "")]), "limits.csv")
        wizard.action_preview()
        self.assertIn("“C001” matches several customers", wizard.line_ids.error)

    # ------------------------------------------------------------------
    # Blank means unchanged
    # ------------------------------------------------------------------
    def test_limits_only_file_keeps_hold_and_cash_only(self):
        self._set_flags(self.alpha, credit_hold=True, cash_only=True)
        self._set_limit(self.alpha, 8000)
        wizard = self._wizard(b"partner;limit\r\nC001;12000\r\n", "limits.csv")
        wizard.action_preview()
        line = wizard.line_ids
        self.assertEqual(line.hold_change, "unchanged (Yes)")
        self.assertEqual(line.cash_only_change, "unchanged (Yes)")
        self.assertFalse(line.lifts_hold or line.lifts_cash_only)
        self.assertIn(
            "Not in the file, so unchanged for every customer: cash-only, credit hold",
            wizard.summary,
        )
        result = wizard.action_import()
        self.assertAlmostEqual(self.alpha.credit_limit, 12000)
        self.assertTrue(self.alpha.credit_hold)
        self.assertTrue(self.alpha.cash_only)
        self.assertEqual(self.alpha.credit_hold_origin, "manual")
        self.assertEqual(result["params"]["message"], "1 customer updated: 1 limit.")

    def test_blank_cells_leave_values_unchanged(self):
        self._set_limit(self.alpha, 8000)
        self._set_flags(self.alpha, credit_hold=True, cash_only=True)
        self._set_limit(self.beta, 3000)
        content = _csv(
            [
                ("C001", "", "", "", "", "blank limit and flags"),
                ("BE0477472701", "0", "", "", "", "explicit zero"),
            ]
        )
        wizard = self._wizard(content, "limits.csv")
        wizard.action_preview()
        alpha_line = self._line(wizard, self.alpha)
        self.assertIn("unchanged", alpha_line.limit_change)
        self.assertIn("8,000.00", alpha_line.limit_change)
        self.assertIn("3,000.00", self._line(wizard, self.beta).limit_change)
        self.assertIn("→ no limit", self._line(wizard, self.beta).limit_change)
        self.assertIn("A blank cell leaves the value unchanged", wizard.summary)
        wizard.action_import()
        self.assertAlmostEqual(self.alpha.credit_limit, 8000)
        self.assertTrue(self.alpha.credit_hold)
        self.assertTrue(self.alpha.cash_only)
        self.assertAlmostEqual(self.beta.credit_limit, 0)

    # ------------------------------------------------------------------
    # Preview and summary
    # ------------------------------------------------------------------
    def test_preview_shows_changes_and_lifts(self):
        self._set_limit(self.alpha, 8000)
        self._set_flags(self.alpha, credit_hold=True)
        self._set_flags(self.beta, cash_only=True)
        content = _csv(
            [
                ("C001", "15000", "", "", "no", "Paid in full"),
                ("BE0477472701", "", "", "no", "yes", "Insurer"),
            ]
        )
        wizard = self._wizard(content, "limits.csv")
        wizard.action_preview()
        alpha_line = self._line(wizard, self.alpha)
        self.assertRegex(alpha_line.limit_change, r"8,000\.00.* → .*15,000\.00")
        self.assertEqual(alpha_line.hold_change, "Yes → No")
        self.assertTrue(alpha_line.lifts_hold)
        self.assertEqual(alpha_line.cash_only_change, "unchanged (No)")
        beta_line = self._line(wizard, self.beta)
        self.assertEqual(beta_line.cash_only_change, "Yes → No")
        self.assertTrue(beta_line.lifts_cash_only)
        self.assertEqual(beta_line.hold_change, "No → Yes")
        self.assertFalse(beta_line.lifts_hold)
        self.assertEqual(wizard.lift_count, 2)
        self.assertIn(
            "Import will change: 1 limit, 1 hold set, 1 hold lifted, "
            "1 cash-only lifted.",
            wizard.summary,
        )
        # the preview wrote nothing
        self.assertTrue(self.alpha.credit_hold)
        self.assertAlmostEqual(self.alpha.credit_limit, 8000)

    def test_import_summary_and_chatter(self):
        self._set_limit(self.alpha, 8000)
        self._set_flags(self.alpha, credit_hold=True)
        gamma = self._make_customer("Gamma", ref="C003")
        self._set_limit(gamma, 1000)
        content = _csv(
            [
                ("C001", "15000", "", "", "no", "Paid in full"),
                ("BE0477472701", "2000", "", "yes", "yes", "Insurer"),
                ("C003", "1000", "", "no", "", ""),
            ]
        )
        result = self._wizard(content, "limits.csv").action_import()
        self.assertEqual(result["type"], "ir.actions.client")
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(
            result["params"]["message"],
            "2 customers updated: 2 limits, 1 hold set, 1 hold lifted, "
            "1 cash-only set. 1 customer of the file was already up to date.",
        )
        self.assertEqual(
            result["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        note = self.alpha.message_ids.filtered(lambda m: "Credit limit" in m.body)
        self.assertEqual(len(note), 1)
        self.assertRegex(note.body, r"8,000\.00.* → .*15,000\.00")
        self.assertIn("limits.csv", note.body)
        self.assertIn("Paid in full", note.body)
        self.assertEqual(note.author_id, self.credit_manager.partner_id)
        self.assertFalse(
            gamma.message_ids.filtered(lambda m: "Credit limit" in m.body),
            "an unchanged limit posts nothing",
        )
        # the same file again changes nothing, and says so
        result = self._wizard(content, "limits.csv").action_import()
        self.assertEqual(result["params"]["type"], "info")
        self.assertEqual(
            result["params"]["message"],
            "Nothing changed: the file matches the customers.",
        )

    def test_import_reads_the_file_again(self):
        wizard = self._wizard(_csv([("C001", "5000", "", "", "", "")]), "a.csv")
        wizard.action_preview()
        with Form(wizard) as form:
            form.file = base64.b64encode(_csv([("C001", "7000", "", "", "", "")]))
            self.assertEqual(form.state, "upload", "the old preview is hidden")
        wizard.action_import()
        self.assertAlmostEqual(self.alpha.credit_limit, 7000)

    def test_dialog_has_a_title(self):
        wizard = self._wizard(_csv([("C001", "5000", "", "", "", "")]), "a.csv")
        self.assertEqual(wizard.action_preview()["name"], "Import Credit Limits")

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_only_credit_managers(self):
        self._set_limit(self.alpha, 8000)
        self._set_flags(self.alpha, credit_hold=True)
        content = _csv([("C001", "15000", "", "", "no", "")])
        wizard = self._wizard(content, "limits.csv")
        for user in (self.salesman, self.portal_user, self.collector):
            for method in ("action_preview", "action_import"):
                with (
                    self.subTest(user=user.login, method=method),
                    self.assertRaisesRegex(
                        AccessError, "Only a credit manager can import credit limits"
                    ),
                ):
                    getattr(wizard.with_user(user), method)()
        self.assertEqual(wizard.state, "upload")
        self.assertFalse(wizard.line_ids)
        self.assertAlmostEqual(self.alpha.credit_limit, 8000)
        self.assertTrue(self.alpha.credit_hold)
        with self.assertRaises(AccessError):
            self.env["credit.limit.import.wizard"].with_user(self.salesman).create(
                {"file": base64.b64encode(content), "filename": "limits.csv"}
            )

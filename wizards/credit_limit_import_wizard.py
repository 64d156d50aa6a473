import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError

HEADERS = {
    "partner": ("partner", "reference", "ref", "vat", "customer", "référence", "tva"),
    "limit": ("limit", "credit limit", "credit_limit", "limite", "encours"),
    "currency": ("currency", "devise"),
    "cash_only": ("cash_only", "cash only", "cash-only", "comptant"),
    "hold": ("hold", "credit_hold", "credit hold", "blocage"),
    "reason": ("reason", "motif", "raison"),
}
TRUE_VALUES = {"1", "yes", "y", "true", "x", "oui", "o", "vrai"}
FALSE_VALUES = {"", "0", "no", "n", "false", "non", "faux"}


def _read_csv(content):
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(content):
    import openpyxl  # noqa: PLC0415

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _read_xls(content):
    import xlrd  # noqa: PLC0415

    book = xlrd.open_workbook(file_contents=content)
    sheet = book.sheet_by_index(0)
    return [sheet.row_values(i) for i in range(sheet.nrows)]


class CreditLimitImportWizard(models.TransientModel):
    _name = "credit.limit.import.wizard"
    _description = "Import Credit Limits"

    file = fields.Binary(required=True)
    filename = fields.Char()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    line_ids = fields.One2many("credit.limit.import.line", "wizard_id", readonly=True)
    error_count = fields.Integer(compute="_compute_error_count")
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview")], default="upload"
    )

    @api.depends("line_ids.error")
    def _compute_error_count(self):
        for wizard in self:
            wizard.error_count = len(wizard.line_ids.filtered("error"))

    def _read_rows(self):
        self.ensure_one()
        name = (self.filename or "").lower()
        content = base64.b64decode(self.file or b"")
        readers = {".csv": _read_csv, ".xlsx": _read_xlsx, ".xls": _read_xls}
        ext = next((e for e in readers if name.endswith(e)), None)
        if not ext:
            raise UserError(
                self.env._(
                    "Unsupported file type “%s”: use .csv, .xls or .xlsx.",
                    self.filename,
                )
            )
        try:
            rows = readers[ext](content)
        except Exception as error:  # noqa: BLE001 - any parser error means a bad file
            raise UserError(
                self.env._(
                    "The file “%(name)s” cannot be read: %(error)s",
                    name=self.filename,
                    error=error,
                )
            ) from error
        rows = [row for row in rows if any(str(c or "").strip() for c in row)]
        if not rows:
            raise UserError(self.env._("The file is empty."))
        header = [str(c or "").strip().lower() for c in rows[0]]
        columns = {}
        for key, names in HEADERS.items():
            for index, title in enumerate(header):
                if title in names:
                    columns[key] = index
                    break
        missing = {"partner", "limit"} - columns.keys()
        if missing:
            raise UserError(
                self.env._(
                    "Missing column(s): %s. Expected: partner (reference or VAT), limit, "
                    "currency, cash_only, hold, reason.",
                    ", ".join(sorted(missing)),
                )
            )

        def cell(row, key):
            index = columns.get(key)
            if index is None or index >= len(row):
                return ""
            value = row[index]
            if isinstance(value, float) and value.is_integer() and key == "partner":
                value = int(value)
            return str(value).strip() if value is not None else ""

        return [
            {key: cell(row, key) for key in HEADERS} | {"row": number}
            for number, row in enumerate(rows[1:], start=2)
        ]

    def _parse_bool(self, value, errors, label):
        lowered = value.strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        errors.append(
            self.env._("%(label)s: “%(value)s” is not yes/no", label=label, value=value)
        )
        return False

    def action_preview(self):
        self.ensure_one()
        rows = self._read_rows()
        Partner = self.env["res.partner"].with_context(active_test=False)
        keys = {row["partner"] for row in rows if row["partner"]}
        partners = Partner.search(
            ["|", ("ref", "in", list(keys)), ("vat", "in", list(keys))]
        ).commercial_partner_id
        by_key = {}
        for partner in partners:
            for key in (partner.ref, partner.vat):
                if key:
                    by_key.setdefault(key, partner)
        currencies = {
            c.name: c
            for c in self.env["res.currency"].with_context(active_test=False).search([])
        }
        company_currency = self.company_id.currency_id
        seen = {}
        lines = []
        for row in rows:
            errors = []
            partner = by_key.get(row["partner"])
            if not row["partner"]:
                errors.append(self.env._("no partner reference or VAT"))
            elif not partner:
                errors.append(self.env._("unknown partner “%s”", row["partner"]))
            elif partner.id in seen:
                errors.append(self.env._("duplicate of row %s", seen[partner.id]))
            if partner:
                seen.setdefault(partner.id, row["row"])
            limit = 0.0
            try:
                limit = float(row["limit"].replace(" ", "").replace(",", ".") or 0)
                if limit < 0:
                    errors.append(self.env._("negative limit “%s”", row["limit"]))
            except ValueError:
                errors.append(self.env._("bad number “%s” for the limit", row["limit"]))
            currency = company_currency
            if row["currency"]:
                currency = currencies.get(row["currency"].upper())
                if not currency:
                    errors.append(self.env._("unknown currency “%s”", row["currency"]))
                    currency = company_currency
            cash_only = self._parse_bool(
                row["cash_only"], errors, self.env._("cash-only")
            )
            hold = self._parse_bool(row["hold"], errors, self.env._("hold"))
            limit_company = currency._convert(
                limit,
                company_currency,
                self.company_id,
                fields.Date.context_today(self),
            )
            lines.append(
                {
                    "row": row["row"],
                    "key": row["partner"],
                    "partner_id": partner.id if partner else False,
                    "limit": limit,
                    "currency_id": currency.id,
                    "limit_company": limit_company,
                    "cash_only": cash_only,
                    "hold": hold,
                    "reason": row["reason"],
                    "error": "; ".join(errors) or False,
                }
            )
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(v) for v in lines
        ]
        self.state = "preview"
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        if self.state != "preview":
            self.action_preview()
        bad = self.line_ids.filtered("error")
        if bad:
            raise UserError(
                self.env._("Nothing was imported: fix these rows first.")
                + "\n"
                + "\n".join(
                    self.env._("Row %(row)s: %(error)s", row=line.row, error=line.error)
                    for line in bad
                )
            )
        reason_default = self.env._("Import of %s", self.filename)
        for line in self.line_ids:
            partner = line.partner_id.with_company(self.company_id)
            partner.sudo().credit_limit = line.limit_company
            partner._credit_set_flags(
                line.reason or reason_default,
                origin="import",
                cash_only=line.cash_only,
                credit_hold=line.hold,
            )
        return {"type": "ir.actions.act_window_close"}

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class CreditLimitImportLine(models.TransientModel):
    _name = "credit.limit.import.line"
    _description = "Credit Limit Import Row"
    _order = "row"

    wizard_id = fields.Many2one(
        "credit.limit.import.wizard", required=True, ondelete="cascade"
    )
    row = fields.Integer()
    key = fields.Char(string="Reference / VAT")
    partner_id = fields.Many2one("res.partner")
    limit = fields.Float()
    currency_id = fields.Many2one("res.currency")
    limit_company = fields.Float(string="Limit (Company Currency)")
    cash_only = fields.Boolean()
    hold = fields.Boolean()
    reason = fields.Char()
    error = fields.Char()

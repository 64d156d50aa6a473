import base64
import codecs
import csv
import io
import math
import os
import re
import unicodedata
import warnings

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount

from ..credit_control.rights import check_credit_rights

# Column titles accepted, English then French; compared without case, accents
# and punctuation (see _title_key). The form's help lists the same titles.
HEADERS = {
    "partner": (
        "partner",
        "customer",
        "reference",
        "ref",
        "vat",
        "client",
        "partenaire",
        "référence",
        "tva",
        "n° tva",
    ),
    "limit": (
        "limit",
        "credit limit",
        "limite",
        "limite de crédit",
        "encours",
        "encours autorisé",
    ),
    "currency": ("currency", "devise", "monnaie"),
    "cash_only": ("cash only", "comptant", "paiement comptant"),
    "hold": ("hold", "credit hold", "blocage", "bloqué", "blocage crédit"),
    "reason": ("reason", "motif", "raison"),
}
TRUE_VALUES = {"1", "yes", "y", "true", "x", "oui", "o", "vrai"}
FALSE_VALUES = {"0", "no", "n", "false", "non", "faux"}
# Bigger limits are typing mistakes, not credit decisions.
MAX_LIMIT = 1e15
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_EXTENSIONS = (".csv", ".txt")
EXCEL_EXTENSIONS = (".xls", ".xlsx")


class AmbiguousNumberError(ValueError):
    """“15,000” or “15.000”: thousands in one language, a decimal in another."""


def _title_key(title):
    """“Limite de crédit”, “LIMITE_DE_CREDIT” and “limite-de-credit” alike."""
    text = unicodedata.normalize("NFKD", str(title or "")).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


TITLE_KEYS = {
    _title_key(title): key for key, titles in HEADERS.items() for title in titles
}


def _decode(content):
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with a BOM, else
    the Windows encoding Excel uses for a French CSV, else Latin-1."""
    encodings = ("utf-8", "cp1252")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16", *encodings)
    content = content.removeprefix(codecs.BOM_UTF8)
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _read_csv(content):
    lines = _decode(content).splitlines()
    # Excel writes a "sep=;" line first when asked to keep the separator
    if lines and re.fullmatch(r"sep=.", lines[0].strip()):
        delimiter = lines.pop(0).strip()[-1]
    else:
        # the separator is the one the header uses most; ";" wins a tie (French
        # Excel), and the header has no decimal comma to mislead the count
        header = next((line for line in lines if line.strip()), "")
        delimiter = max(";,\t|", key=header.count)
    return list(csv.reader(lines, delimiter=delimiter))


def _read_xlsx(content):
    import openpyxl  # noqa: PLC0415

    with warnings.catch_warnings():
        # openpyxl warns about styles or extensions it ignores; the values are read
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
        try:
            sheet = book.worksheets[0]
            # files written by other tools may declare a wrong sheet size
            sheet.reset_dimensions()
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()


def _read_xls(content):
    import xlrd  # noqa: PLC0415

    book = xlrd.open_workbook(file_contents=content, logfile=io.StringIO())
    sheet = book.sheet_by_index(0)
    rows = []
    for index in range(sheet.nrows):
        row = []
        for cell in sheet.row(index):
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(cell.value))
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                row.append(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
            else:
                row.append(cell.value)
        rows.append(row)
    return rows


def numbered_rows(env, reader, content, filename):
    """[(row number, [cell, ...])] of the non-blank rows of a file read by
    ``reader``; row numbers are the file's, blank rows included, to find them
    in Excel. A file the reader cannot parse is a UserError naming it."""
    try:
        table = reader(content)
    except Exception as error:  # noqa: BLE001 - any parser error means a bad file
        raise UserError(
            env._(
                "The file “%(name)s” cannot be read: %(error)s",
                name=filename,
                error=error,
            )
        ) from error
    return [
        (number, row)
        for number, row in enumerate(table, start=1)
        if not all(_is_blank(value) for value in row)
    ]


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value):
    """A cell as text: 1001.0 (a number typed in Excel) is “1001”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_amount(value):
    """A number typed in English or French: 15000, 15000.50, 15 000,50,
    1.500.000, 1,500.50, 1.500,50. Raise ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"[\s\u202f']", "", str(value))
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if text.count(decimal) > 1:
            raise ValueError(value)
        text = text.replace(thousands, "").replace(decimal, ".")
    elif commas > 1 or dots > 1:
        separator = "," if commas else "."
        if not re.fullmatch(rf"-?\d{{1,3}}(\{separator}\d{{3}})+", text):
            raise ValueError(value)
        text = text.replace(separator, "")
    elif commas or dots:
        if re.fullmatch(r"-?[1-9]\d{0,2}[.,]\d{3}", text):
            raise AmbiguousNumberError(value)
        text = text.replace(",", ".")
    return float(text)


class CreditLimitImportWizard(models.TransientModel):
    _name = "credit.limit.import.wizard"
    _description = "Import Credit Limits"

    file = fields.Binary(required=True)
    filename = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many("credit.limit.import.line", "wizard_id", readonly=True)
    summary = fields.Text(readonly=True)
    error_count = fields.Integer(compute="_compute_line_counts")
    lift_count = fields.Integer(compute="_compute_line_counts")
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview")], default="upload"
    )

    @api.depends("line_ids.error", "line_ids.lifts_hold", "line_ids.lifts_cash_only")
    def _compute_line_counts(self):
        for wizard in self:
            wizard.error_count = len(wizard.line_ids.filtered("error"))
            wizard.lift_count = len(
                wizard.line_ids.filtered(
                    lambda line: line.lifts_hold or line.lifts_cash_only
                )
            )

    @api.onchange("file")
    def _onchange_file(self):
        # a preview describes the file it was made from, not a new one
        self.state = "upload"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_preview(self):
        self._check_manager()
        self.ensure_one()
        columns, ignored, rows = self._read_rows()
        lines = self._prepare_lines(rows, columns)
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(vals) for vals in lines
        ]
        self.summary = self._preview_summary(columns, ignored, lines)
        self.state = "preview"
        return self._reopen()

    def action_import(self):
        self._check_manager()
        self.ensure_one()
        # read the file again: what is written matches the file and the
        # customers as they are now, even if the preview is older
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
        counts = dict.fromkeys(
            ("limit", "hold_set", "hold_lift", "cash_set", "cash_lift"), 0
        )
        updated = self.env["res.partner"]
        for line in self.line_ids:
            partner = line.partner_id
            reason = line.reason or self.env._("Import of %s", self.filename)
            if line.limit_given and self._apply_limit(line, reason):
                counts["limit"] += 1
                updated |= partner
            flags = {}
            for flag, new, prefix in (
                ("cash_only", line.cash_only_new, "cash"),
                ("credit_hold", line.hold_new, "hold"),
            ):
                if not new or partner[flag] == (new == "yes"):
                    continue
                flags[flag] = new == "yes"
                counts[f"{prefix}_{'set' if new == 'yes' else 'lift'}"] += 1
            if flags:
                partner._credit_set_flags(reason, origin="import", **flags)
                updated |= partner
        unchanged = len(self.line_ids.partner_id - updated)
        if updated:
            message = self.env._(
                "%(customers)s: %(changes)s.",
                customers=self._plural(
                    len(updated),
                    self.env._("%s customer updated", len(updated)),
                    self.env._("%s customers updated", len(updated)),
                ),
                changes=self._describe_counts(counts),
            )
        else:
            message = self.env._("Nothing changed: the file matches the customers.")
        if updated and unchanged:
            message += " " + self._plural(
                unchanged,
                self.env._(
                    "%s customer of the file was already up to date.", unchanged
                ),
                self.env._(
                    "%s customers of the file were already up to date.", unchanged
                ),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if updated else "info",
                "title": self.env._("Credit limits imported from %s", self.filename),
                "message": message,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_manager(self):
        """The wizard writes as superuser: check the caller's rights first."""
        check_credit_rights(
            self.env,
            self.env._(
                "Only a credit manager can import credit limits, holds and cash-only."
            ),
            manager=True,
        )
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "You cannot import credit limits for the company %s.",
                        wizard.company_id.display_name,
                    )
                )

    def _read_rows(self):
        """(columns {key: title}, ignored titles, rows [{key: cell, "row": n}])
        of the uploaded file, or a UserError that says what is wrong with it."""
        self.ensure_one()
        extension = os.path.splitext((self.filename or "").lower())[1]
        if extension not in CSV_EXTENSIONS + EXCEL_EXTENSIONS:
            raise UserError(
                self.env._(
                    "Unsupported file type “%s”: use .csv, .xls or .xlsx.",
                    self.filename,
                )
            )
        content = base64.b64decode(self.file or b"")
        empty = UserError(
            self.env._(
                "The file “%s” is empty: it needs a header row and one row per "
                "customer.",
                self.filename,
            )
        )
        if not content.strip():
            raise empty
        if content.startswith(XLSX_MAGIC):
            reader = _read_xlsx
        elif content.startswith(XLS_MAGIC):
            reader = _read_xls
        elif extension in EXCEL_EXTENSIONS:
            raise UserError(
                self.env._(
                    "The file “%s” cannot be read: it is not an Excel workbook. "
                    "Save it from your spreadsheet as .xlsx or .csv.",
                    self.filename,
                )
            )
        else:
            reader = _read_csv
        numbered = numbered_rows(self.env, reader, content, self.filename)
        if not numbered:
            raise empty
        (__, header), data = numbered[0], numbered[1:]
        columns, ignored = self._match_header(header)
        if not data:
            raise UserError(
                self.env._(
                    "The file “%s” has a header but no customer rows: nothing to "
                    "import.",
                    self.filename,
                )
            )
        rows = []
        for number, row in data:
            values = {"row": number}
            for key, (index, __) in columns.items():
                values[key] = row[index] if index < len(row) else None
            rows.append(values)
        return {key: title for key, (__, title) in columns.items()}, ignored, rows

    def _match_header(self, header):
        """({key: (index, title)}, ignored titles) of the header row."""
        columns = {}
        ignored = []
        for index, value in enumerate(header):
            title = _text(value)
            key = TITLE_KEYS.get(_title_key(title))
            if not key:
                if title:
                    ignored.append(title)
                continue
            if key in columns:
                raise UserError(
                    self.env._(
                        "The columns “%(first)s” and “%(second)s” both give the "
                        "%(what)s: keep one.",
                        first=columns[key][1],
                        second=title,
                        what=self._column_labels()[key],
                    )
                )
            columns[key] = (index, title)
        if "partner" not in columns:
            raise UserError(
                self.env._(
                    "The file has no column for the customer. Name it partner, "
                    "customer, reference, ref or VAT (in French: client, "
                    "partenaire, référence or TVA)."
                )
            )
        if not {"limit", "cash_only", "hold"} & columns.keys():
            raise UserError(
                self.env._(
                    "The file has no column to import. Give at least one of: limit "
                    "or credit limit, cash only, hold or credit hold (in French: "
                    "limite or limite de crédit, comptant, blocage)."
                )
            )
        return columns, ignored

    def _prepare_lines(self, rows, columns):
        """Values of the preview lines: each row checked, and its current and
        new limit, cash-only and hold."""
        company = self.company_id
        company_currency = company.currency_id
        keys = {_text(row["partner"]) for row in rows} - {""}
        found = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(["|", ("ref", "in", list(keys)), ("vat", "in", list(keys))])
        )
        by_key = {}
        for partner in found:
            for key in {partner.ref, partner.vat} & keys:
                by_key.setdefault(key, self.env["res.partner"])
                by_key[key] |= partner.commercial_partner_id
        currencies = {
            currency.name: currency for currency in self.env["res.currency"].search([])
        }
        today = fields.Date.context_today(self)
        seen = {}
        lines = []
        for row in rows:
            errors = []
            key = _text(row["partner"])
            matches = by_key.get(key, self.env["res.partner"])
            partner = matches if len(matches) == 1 else self.env["res.partner"]
            if not key:
                errors.append(self.env._("no partner reference or VAT"))
            elif not matches:
                errors.append(self.env._("unknown partner “%s”", key))
            elif len(matches) > 1:
                errors.append(
                    self.env._(
                        "“%(key)s” matches several customers: %(names)s",
                        key=key,
                        names=", ".join(matches.mapped("display_name")),
                    )
                )
            elif partner.id in seen:
                errors.append(self.env._("duplicate of row %s", seen[partner.id]))
            if partner:
                seen.setdefault(partner.id, row["row"])
            limit = self._parse_limit(row.get("limit"), errors)
            currency = company_currency
            currency_name = _text(row.get("currency")).upper()
            if currency_name:
                currency = currencies.get(currency_name)
                if not currency:
                    errors.append(
                        self.env._("unknown or inactive currency “%s”", currency_name)
                    )
                    currency = company_currency
            cash_only = self._parse_flag(
                row.get("cash_only"), errors, self.env._("cash-only")
            )
            hold = self._parse_flag(row.get("hold"), errors, self.env._("hold"))
            vals = {
                "row": row["row"],
                "key": key,
                "partner_id": partner.id,
                "limit_given": limit is not None,
                "limit": limit or 0.0,
                "currency_id": currency.id,
                "cash_only_new": {True: "yes", False: "no"}.get(cash_only, False),
                "hold_new": {True: "yes", False: "no"}.get(hold, False),
                "reason": _text(row.get("reason")),
                "error": "; ".join(errors) or False,
            }
            if partner and not errors:
                new_limit = None
                if limit is not None:
                    new_limit = currency._convert(
                        limit, company_currency, company, today
                    )
                vals |= self._describe_line(partner, new_limit, currency, limit)
                vals |= {
                    "cash_only_current": partner.cash_only,
                    "cash_only_change": self._flag_change(partner.cash_only, cash_only),
                    "hold_current": partner.credit_hold,
                    "hold_change": self._flag_change(partner.credit_hold, hold),
                    "lifts_cash_only": partner.cash_only and cash_only is False,
                    "lifts_hold": partner.credit_hold and hold is False,
                }
            lines.append(vals)
        return lines

    def _parse_limit(self, value, errors):
        """The limit of a cell, None when blank (the limit stays as it is)."""
        if _is_blank(value):
            return None
        try:
            limit = _parse_amount(value)
        except AmbiguousNumberError:
            errors.append(
                self.env._(
                    "ambiguous limit “%s”: thousands or decimals? Write it without "
                    "a thousands separator, e.g. 15000 or 15000,50",
                    value,
                )
            )
            return None
        except ValueError:
            errors.append(self.env._("bad number “%s” for the limit", _text(value)))
            return None
        if not math.isfinite(limit):
            errors.append(
                self.env._("the limit “%s” is not a finite number", _text(value))
            )
            return None
        if limit < 0:
            errors.append(self.env._("negative limit “%s”", _text(value)))
            return None
        if limit > MAX_LIMIT:
            errors.append(self.env._("the limit “%s” is too large", _text(value)))
            return None
        return limit

    def _parse_flag(self, value, errors, label):
        """True / False for a yes / no cell, None when blank (unchanged)."""
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        lowered = _text(value).lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        errors.append(
            self.env._(
                "%(label)s: “%(value)s” is not yes/no",
                label=label,
                value=_text(value),
            )
        )
        return None

    def _describe_line(self, partner, new_limit, currency, limit):
        """The current and new limit of a valid row, in company currency."""
        company_currency = self.company_id.currency_id
        current = partner.with_company(self.company_id).sudo().credit_limit
        vals = {"limit_current": current, "limit_company": current}
        if new_limit is None or self._same_limit(current, new_limit):
            vals["limit_change"] = self.env._(
                "unchanged (%s)", self._format_limit(current)
            )
            return vals
        change = f"{self._format_limit(current)} → {self._format_limit(new_limit)}"
        if currency != company_currency and new_limit:
            change += f" ({format_amount(self.env, limit, currency)})"
        return vals | {"limit_company": new_limit, "limit_change": change}

    def _same_limit(self, current, new):
        rounding = self.company_id.currency_id.rounding
        return not float_compare(current, new, precision_rounding=rounding)

    def _format_limit(self, amount):
        if not amount:
            return self.env._("no limit")
        return format_amount(self.env, amount, self.company_id.currency_id)

    def _flag_change(self, current, new):
        labels = {True: self.env._("Yes"), False: self.env._("No")}
        if new is None or new == current:
            return self.env._("unchanged (%s)", labels[current])
        return f"{labels[current]} → {labels[new]}"

    def _apply_limit(self, line, reason):
        """Write the line's limit on its customer, with a note in its chatter.
        False when the customer already has it."""
        partner = line.partner_id.with_company(self.company_id).sudo()
        current = partner.credit_limit
        if self._same_limit(current, line.limit_company):
            return False
        partner.credit_limit = line.limit_company
        line.partner_id._credit_log_note(
            self.env._(
                "Credit limit (%(company)s): %(old)s → %(new)s, imported from "
                "“%(file)s”: %(reason)s",
                company=self.company_id.name,
                old=self._format_limit(current),
                new=self._format_limit(line.limit_company),
                file=self.filename,
                reason=reason,
            )
        )
        return True

    def _column_labels(self):
        return {
            "partner": self.env._("customer"),
            "limit": self.env._("credit limit"),
            "currency": self.env._("currency"),
            "cash_only": self.env._("cash-only"),
            "hold": self.env._("credit hold"),
            "reason": self.env._("reason"),
        }

    def _preview_summary(self, columns, ignored, lines):
        labels = self._column_labels()
        parts = [
            self.env._(
                "Columns read: %s.",
                ", ".join(f"{title} ({labels[key]})" for key, title in columns.items()),
            )
        ]
        absent = [
            labels[key] for key in ("limit", "cash_only", "hold") if key not in columns
        ]
        if absent:
            parts.append(
                self.env._(
                    "Not in the file, so unchanged for every customer: %s.",
                    ", ".join(absent),
                )
            )
        if ignored:
            parts.append(self.env._("Columns ignored: %s.", ", ".join(ignored)))
        errors = sum(1 for vals in lines if vals["error"])
        if errors:
            parts.append(
                self.env._(
                    "%(errors)s of %(rows)s rows are wrong (in red): nothing will be "
                    "imported until the file is fixed.",
                    errors=errors,
                    rows=len(lines),
                )
            )
        else:
            counts = dict.fromkeys(
                ("limit", "hold_set", "hold_lift", "cash_set", "cash_lift"), 0
            )
            for vals in lines:
                counts["limit"] += vals["limit_company"] != vals["limit_current"]
                for prefix in ("hold", "cash_only"):
                    new, current = vals[f"{prefix}_new"], vals[f"{prefix}_current"]
                    key = "hold" if prefix == "hold" else "cash"
                    counts[f"{key}_set"] += new == "yes" and not current
                    counts[f"{key}_lift"] += new == "no" and current
            if any(counts.values()):
                parts.append(
                    self.env._("Import will change: %s.", self._describe_counts(counts))
                )
            else:
                parts.append(
                    self.env._("Nothing to change: the file matches the customers.")
                )
        parts.append(
            self.env._(
                "A blank cell leaves the value unchanged; a limit of 0 means no limit."
            )
        )
        return "\n".join(parts)

    def _describe_counts(self, counts):
        """“3 limits, 1 hold set, 1 hold lifted”, leaving out the zeros."""
        n = counts
        texts = {
            "limit": (
                self.env._("%s limit", n["limit"]),
                self.env._("%s limits", n["limit"]),
            ),
            "hold_set": (
                self.env._("%s hold set", n["hold_set"]),
                self.env._("%s holds set", n["hold_set"]),
            ),
            "hold_lift": (
                self.env._("%s hold lifted", n["hold_lift"]),
                self.env._("%s holds lifted", n["hold_lift"]),
            ),
            "cash_set": (
                self.env._("%s cash-only set", n["cash_set"]),
                self.env._("%s cash-only set", n["cash_set"]),
            ),
            "cash_lift": (
                self.env._("%s cash-only lifted", n["cash_lift"]),
                self.env._("%s cash-only lifted", n["cash_lift"]),
            ),
        }
        return ", ".join(self._plural(n[key], *texts[key]) for key in texts if n[key])

    @staticmethod
    def _plural(count, singular, plural):
        return singular if count == 1 else plural

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Credit Limits"),
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
    partner_id = fields.Many2one("res.partner", string="Customer")
    limit_given = fields.Boolean(help="False when the limit cell is blank.")
    limit = fields.Float(string="Limit in File")
    currency_id = fields.Many2one("res.currency")
    limit_current = fields.Float(string="Current Limit")
    limit_company = fields.Float(string="New Limit (Company Currency)")
    limit_change = fields.Char(string="Credit Limit")
    cash_only_new = fields.Selection(
        [("yes", "Yes"), ("no", "No")],
        string="Cash-Only in File",
        help="Empty when the cell is blank: cash-only stays as it is.",
    )
    cash_only_current = fields.Boolean(string="Current Cash-Only")
    cash_only_change = fields.Char(string="Cash-Only")
    lifts_cash_only = fields.Boolean(string="Lifts Cash-Only")
    hold_new = fields.Selection(
        [("yes", "Yes"), ("no", "No")],
        string="Hold in File",
        help="Empty when the cell is blank: the hold stays as it is.",
    )
    hold_current = fields.Boolean(string="Current Hold")
    hold_change = fields.Char(string="Credit Hold")
    lifts_hold = fields.Boolean()
    reason = fields.Char()
    error = fields.Char()

import base64
import datetime
import os
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount

from ...credit_control.rights import check_credit_rights
from ...wizards.credit_limit_import_wizard import (
    CSV_EXTENSIONS,
    EXCEL_EXTENSIONS,
    XLS_MAGIC,
    XLSX_MAGIC,
    AmbiguousNumberError,
    _is_blank,
    _parse_amount,
    _read_csv,
    _read_xls,
    _read_xlsx,
    _text,
    _title_key,
    numbered_rows,
)

# Column titles accepted, English then French (compared like the credit-limit
# import: without case, accents and punctuation).
HEADERS = {
    "reference": ("reference", "ref", "file", "référence", "dossier", "n° dossier"),
    "status": ("status", "state", "statut", "état"),
    "recovered": (
        "amount recovered",
        "recovered",
        "montant recouvré",
        "recouvré",
        "montant encaissé",
        "encaissé",
    ),
    "date": ("status date", "date", "date statut", "date du statut"),
}
TITLE_KEYS = {
    _title_key(title): key for key, titles in HEADERS.items() for title in titles
}
STATUS_WORDS = {
    "in_progress": (
        "in progress",
        "in_progress",
        "open",
        "en cours",
        "ouvert",
    ),
    "recovered": ("recovered", "paid", "recouvré", "soldé", "payé", "encaissé"),
    "partial": (
        "partly recovered",
        "partially recovered",
        "partial",
        "partiel",
        "recouvré partiellement",
        "partiellement recouvré",
    ),
    "uncollectible": (
        "closed uncollectible",
        "closed - uncollectible",
        "uncollectible",
        "closed",
        "irrécouvrable",
        "clôturé irrécouvrable",
        "clos irrécouvrable",
        "clôturé",
    ),
}
STATUS_KEYS = {
    _title_key(word): state for state, words in STATUS_WORDS.items() for word in words
}
# Excel's day 0 for the serial numbers of dates in .xls files
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _parse_date(value):
    """A date typed in French or English Excel: 31/12/2026, 31.12.2026,
    2026-12-31, an Excel date or its serial number. ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = _text(value)
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = map(int, match.groups())
        return datetime.date(year, month, day)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
        year, month, day = map(int, match.groups())
        return datetime.date(year, month, day)
    raise ValueError(value)


class CreditAgencyStatusImport(models.TransientModel):
    _name = "credit.agency.status.import"
    _description = "Import Statuses from a Collection Agency"

    file = fields.Binary(required=True)
    filename = fields.Char()
    agency_id = fields.Many2one(
        "res.partner",
        domain=[("credit_agency", "=", True)],
        help="Only this agency's files; empty: the references of any agency.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can import an agency's statuses."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def action_import(self):
        self._check_manager()
        self.ensure_one()
        updates = self._prepare_updates(self._read_rows())
        for placement, vals in updates.items():
            placement.write(vals)
            placement._log(self._describe(placement, vals))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if updates else "info",
                "title": self.env._("Agency statuses imported from %s", self.filename),
                "message": self.env._("%s file(s) updated.", len(updates))
                if updates
                else self.env._("The file gives no status: nothing changed."),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _read_rows(self):
        """[{key: cell, "row": n}] of the file, or a UserError."""
        extension = os.path.splitext((self.filename or "").lower())[1]
        if extension not in CSV_EXTENSIONS + EXCEL_EXTENSIONS:
            raise UserError(
                self.env._(
                    "Unsupported file type “%s”: use .csv, .xls or .xlsx.",
                    self.filename,
                )
            )
        content = base64.b64decode(self.file or b"")
        if content.startswith(XLSX_MAGIC):
            reader = _read_xlsx
        elif content.startswith(XLS_MAGIC):
            reader = _read_xls
        else:
            reader = _read_csv
        numbered = numbered_rows(self.env, reader, content, self.filename)
        if not numbered:
            raise UserError(self.env._("The file “%s” is empty.", self.filename))
        (__, header), data = numbered[0], numbered[1:]
        columns = {}
        for index, value in enumerate(header):
            key = TITLE_KEYS.get(_title_key(_text(value)))
            if key and key not in columns:
                columns[key] = index
        if "reference" not in columns or not {"status", "recovered"} & columns.keys():
            raise UserError(
                self.env._(
                    "The file needs a column Reference (Référence, Dossier) and a "
                    "column Status (Statut) or Amount Recovered (Montant recouvré)."
                )
            )
        return [
            {"row": number}
            | {
                key: row[index] if index < len(row) else None
                for key, index in columns.items()
            }
            for number, row in data
        ]

    def _prepare_updates(self, rows):
        """{placement: values to write}; a UserError naming every bad row
        when one is wrong (then nothing is written)."""
        domain = [("company_id", "=", self.company_id.id)]
        if self.agency_id:
            domain.append(("agency_id", "=", self.agency_id.id))
        refs = {_text(row["reference"]) for row in rows} - {""}
        placements = self.env["credit.agency.placement"].search(
            domain + [("reference", "in", list(refs))]
        )
        by_ref = {}
        for placement in placements:
            by_ref.setdefault(placement.reference, placements.browse())
            by_ref[placement.reference] |= placement
        errors = []
        news = {}  # placement: {"state", "amount", "date", "rows"}
        for row in rows:
            number = row["row"]
            raw_status = row.get("status")
            raw_amount = row.get("recovered")
            raw_date = row.get("date")
            if all(_is_blank(v) for v in (raw_status, raw_amount, raw_date)):
                continue  # no news of this invoice
            ref = _text(row["reference"])
            found = by_ref.get(ref)
            row_errors = []
            if not ref:
                row_errors.append(self.env._("no reference"))
            elif not found:
                row_errors.append(self.env._("unknown file reference “%s”", ref))
            elif len(found) > 1:
                row_errors.append(
                    self.env._(
                        "the reference “%s” is used by several agencies: choose the "
                        "agency",
                        ref,
                    )
                )
            state = None
            if not _is_blank(raw_status):
                state = STATUS_KEYS.get(_title_key(_text(raw_status)))
                if not state:
                    row_errors.append(
                        self.env._(
                            "unknown status “%s” (in progress, recovered, partly "
                            "recovered, closed - uncollectible)",
                            _text(raw_status),
                        )
                    )
            amount = None
            if not _is_blank(raw_amount):
                try:
                    amount = _parse_amount(raw_amount)
                except AmbiguousNumberError:
                    row_errors.append(
                        self.env._(
                            "ambiguous amount “%s”: write it without a thousands "
                            "separator, e.g. 1500,50",
                            _text(raw_amount),
                        )
                    )
                except ValueError:
                    row_errors.append(self.env._("bad amount “%s”", _text(raw_amount)))
                else:
                    if amount < 0:
                        row_errors.append(
                            self.env._("negative amount “%s”", _text(raw_amount))
                        )
            date = None
            if not _is_blank(raw_date):
                try:
                    date = _parse_date(raw_date)
                except ValueError:
                    row_errors.append(
                        self.env._(
                            "bad date “%s”: write it dd/mm/yyyy", _text(raw_date)
                        )
                    )
            if row_errors:
                errors.append((number, "; ".join(row_errors)))
                continue
            entry = news.setdefault(
                found, {"state": None, "amount": None, "date": None, "row": number}
            )
            if state and entry["state"] and state != entry["state"]:
                errors.append(
                    (
                        number,
                        self.env._(
                            "status different from row %(row)s of the same file "
                            "“%(ref)s”",
                            row=entry["row"],
                            ref=ref,
                        ),
                    )
                )
                continue
            entry["state"] = state or entry["state"]
            if amount is not None:
                entry["amount"] = (entry["amount"] or 0.0) + amount
            if date:
                entry["date"] = max(filter(None, [entry["date"], date]))
        today = fields.Date.context_today(self)
        updates = {}
        for placement, entry in news.items():
            vals = {"status_date": entry["date"] or today}
            if entry["state"]:
                vals["state"] = entry["state"]
            if entry["amount"] is not None:
                amount = placement.currency_id.round(entry["amount"])
                if (
                    float_compare(
                        amount,
                        placement.amount_placed,
                        precision_rounding=placement.currency_id.rounding,
                    )
                    > 0
                ):
                    errors.append(
                        (
                            entry["row"],
                            self.env._(
                                "“%(ref)s”: %(amount)s recovered, more than the "
                                "%(placed)s placed",
                                ref=placement.reference,
                                amount=format_amount(
                                    self.env, amount, placement.currency_id
                                ),
                                placed=format_amount(
                                    self.env,
                                    placement.amount_placed,
                                    placement.currency_id,
                                ),
                            ),
                        )
                    )
                    continue
                vals["agency_recovered"] = amount
            updates[placement] = vals
        if errors:
            raise UserError(
                self.env._("Nothing was imported: fix these rows first.")
                + "\n"
                + "\n".join(
                    self.env._("Row %(row)s: %(error)s", row=row, error=error)
                    for row, error in sorted(errors)
                )
            )
        return updates

    def _describe(self, placement, vals):
        state = dict(placement._fields["state"]._description_selection(self.env))
        return self.env._(
            "Agency status of %(ref)s imported from “%(file)s”: %(state)s, "
            "%(amount)s recovered by the agency.",
            ref=placement.reference,
            file=self.filename,
            state=state[placement.state],
            amount=format_amount(
                self.env, placement.agency_recovered, placement.currency_id
            ),
        )

import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...credit_control.rights import check_credit_rights

# What an agency needs to start collecting: the debtor and its contacts, the
# invoices with what they still owe, and the reminders already sent. One row
# per invoice; the last three columns are for the agency's answer, so the
# same file comes back as its status file.
COLUMNS = [
    ("reference", "Reference"),
    ("debtor", "Debtor"),
    ("debtor_ref", "Debtor Ref"),
    ("vat", "VAT"),
    ("street", "Street"),
    ("zip", "ZIP"),
    ("city", "City"),
    ("country", "Country"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("contacts", "Contacts"),
    ("invoice", "Invoice"),
    ("invoice_date", "Invoice Date"),
    ("due_date", "Due Date"),
    ("amount", "Amount"),
    ("residual", "Residual"),
    ("currency", "Currency"),
    ("reminders", "Reminders"),
    ("status", "Status"),
    ("recovered", "Amount Recovered"),
    ("status_date", "Status Date"),
]
HISTORY_COLUMNS = [
    ("reference", "Reference"),
    ("invoice", "Invoice"),
    ("date", "Date"),
    ("level", "Level"),
    ("channel", "Channel"),
]
AMOUNT_KEYS = ("amount", "residual")
DATE_KEYS = ("invoice_date", "due_date")


class CreditAgencyExportWizard(models.TransientModel):
    _name = "credit.agency.export.wizard"
    _description = "Export Files for a Collection Agency"

    placement_ids = fields.Many2many("credit.agency.placement", string="Files")
    file_format = fields.Selection(
        [
            ("xlsx", "Excel (.xlsx)"),
            ("csv_fr", "CSV, French Excel (; 1234,56 31/12/2026)"),
            ("csv", "CSV, international (, 1234.56 2026-12-31)"),
        ],
        string="Format",
        required=True,
        default="xlsx",
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def _check_rights(self):
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can export agency files."),
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_rights()
        return super().create(vals_list)

    def action_export(self):
        self._check_rights()
        self.ensure_one()
        if not self.placement_ids:
            raise UserError(self.env._("Choose the files to export."))
        rows, history = self._rows()
        stamp = fields.Date.context_today(self).isoformat()
        if self.file_format == "xlsx":
            content = self._write_xlsx(rows, history)
            filename = f"agency_files_{stamp}.xlsx"
        else:
            content = self._write_csv(rows, french=self.file_format == "csv_fr")
            filename = f"agency_files_{stamp}.csv"
        self.write({"file": base64.b64encode(content), "filename": filename})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Export for the Agency"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _rows(self):
        """([{column key: value}] one per invoice, [{history key: value}])."""
        placements = self.placement_ids.sudo()
        lines = (
            self.env["credit.dunning.communication.line"]
            .sudo()
            .search(
                [("move_id", "in", placements.move_ids.ids)],
                order="move_id, id",
            )
        )
        history_of = {}
        for line in lines:
            comm = line.communication_id
            history_of.setdefault(line.move_id.id, []).append(
                {
                    "date": comm.date,
                    "level": (line.level_id or comm.level_id).name,
                    "channel": comm.channel_labels or "",
                }
            )
        rows, history = [], []
        for placement in placements:
            debtor = placement.partner_id
            contacts = "; ".join(
                " ".join(filter(None, [c.name, c.email and f"<{c.email}>", c.phone]))
                for c in debtor.child_ids
                if c.type in ("contact", "invoice") and (c.email or c.phone)
            )
            for move in placement.move_ids.sorted("invoice_date_due"):
                events = history_of.get(move.id, [])
                rows.append(
                    {
                        "reference": placement.reference,
                        "debtor": debtor.name,
                        "debtor_ref": debtor.ref or "",
                        "vat": debtor.vat or "",
                        "street": ", ".join(
                            filter(None, [debtor.street, debtor.street2])
                        ),
                        "zip": debtor.zip or "",
                        "city": debtor.city or "",
                        "country": debtor.country_id.name or "",
                        "email": debtor.email or "",
                        "phone": debtor.phone or "",
                        "contacts": contacts,
                        "invoice": move.name,
                        "invoice_date": move.invoice_date,
                        "due_date": move.invoice_date_due,
                        "amount": move.amount_total,
                        "residual": move.amount_residual,
                        "currency": move.currency_id.name,
                        "reminders": "; ".join(
                            f"{e['date'].isoformat()} {e['level']} ({e['channel']})"
                            for e in events
                        ),
                        "status": "",
                        "recovered": None,
                        "status_date": None,
                    }
                )
                history += [
                    {"reference": placement.reference, "invoice": move.name, **event}
                    for event in events
                ]
        return rows, history

    @staticmethod
    def _write_csv(rows, french):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";" if french else ",")
        writer.writerow([title for __, title in COLUMNS])
        for row in rows:
            cells = []
            for key, __ in COLUMNS:
                value = row[key]
                if value is None:
                    value = ""
                elif key in AMOUNT_KEYS:
                    value = f"{value:.2f}"
                    if french:
                        value = value.replace(".", ",")
                elif key in DATE_KEYS and value:
                    value = value.strftime("%d/%m/%Y") if french else value.isoformat()
                cells.append(value)
            writer.writerow(cells)
        # with a BOM, Excel opens it as UTF-8
        return out.getvalue().encode("utf-8-sig")

    def _write_xlsx(self, rows, history):
        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = self.env._("Files")
        sheet.append([title for __, title in COLUMNS])
        for row in rows:
            sheet.append([row[key] for key, __ in COLUMNS])
        for cell_row in sheet.iter_rows(min_row=2):
            for cell in cell_row:
                key = COLUMNS[cell.column - 1][0]
                if key in DATE_KEYS:
                    cell.number_format = "DD/MM/YYYY"
                elif key in AMOUNT_KEYS:
                    cell.number_format = "#,##0.00"
        sheet_history = book.create_sheet(self.env._("Reminders"))
        sheet_history.append([title for __, title in HISTORY_COLUMNS])
        for event in history:
            sheet_history.append([event[key] for key, __ in HISTORY_COLUMNS])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

"""The statutory payment-delay table of the management report (Code de
commerce art. D.441-6, model of the arrêté of 20 March 2017).

As of the closing date: an invoice is unpaid for what its receivable
(payable) lines still owed once the reconciliations dated on or before the
closing are taken off; what was paid afterwards does not count. Days late
are counted from the invoice's due date (``invoice_date_due``: Odoo keeps
there the latest due date of its instalments, so an invoice is late by its
last instalment). Everything is computed in a few grouped queries."""

import io
from datetime import timedelta

import xlsxwriter

from odoo import api, fields, models
from odoo.tools import SQL, float_round, format_amount, format_date, formatLang

from ..credit_control.rights import check_credit_rights

# (key, lowest days late, highest) in the arrêté's order; None: no bound
BUCKETS = [
    ("0", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("91", 91, None),
]
LATE_BUCKETS = ["1_30", "31_60", "61_90", "91"]
SIDES = {"issued": "out_invoice", "received": "in_invoice"}


class CreditPaymentDelayTable(models.TransientModel):
    _name = "credit.payment.delay.table"
    _description = "Payment Delay Table (D.441-6)"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_closing = fields.Date(
        string="Closing Date",
        required=True,
        default=lambda self: self._default_date_closing(),
        help="The closing date of the financial year: the invoices are counted "
        "as unpaid at that date.",
    )
    reference_terms = fields.Selection(
        [
            ("contractual", "Contractual terms"),
            ("legal", "Legal terms"),
        ],
        string="Reference Payment Terms",
        required=True,
        default="contractual",
        help="Printed in part (C) of the table. Days late are counted from the "
        "due dates of the invoices.",
    )
    reference_terms_detail = fields.Char(
        help="What part (C) says after the terms, e.g. 45 days end of month.",
    )
    figures = fields.Json(readonly=True, copy=False)
    table_html = fields.Html(
        string="Table", compute="_compute_table_html", sanitize=False
    )

    @api.model
    def _default_date_closing(self):
        """The end of the last closed financial year: the day before the
        current one began."""
        today = fields.Date.context_today(self)
        current = self.env.company.compute_fiscalyear_dates(today)
        return current["date_from"] - timedelta(days=1)

    def _compute_display_name(self):
        for table in self:
            table.display_name = self.env._("Payment Delay Table (D.441-6)")

    @api.depends("figures", "reference_terms", "reference_terms_detail")
    def _compute_table_html(self):
        for table in self:
            table.table_html = (
                self.env["ir.qweb"]._render(
                    "credit_dunning.report_payment_delay_table_body",
                    {"o": table, "table": table._table_values()},
                )
                if table.figures
                else False
            )

    @api.onchange("date_closing", "company_id")
    def _onchange_date_closing(self):
        # figures of another closing must not show under this one
        self.figures = False

    def action_compute(self):
        self._check_rights()
        for table in self:
            table.figures = table._compute_figures()
        return True

    def action_print_pdf(self):
        self._check_rights()
        self.ensure_one()
        if not self.figures:
            self.action_compute()
        return self.env.ref(
            "credit_dunning.action_report_payment_delay_table"
        ).report_action(self)

    def action_export_xlsx(self):
        self._check_rights()
        self.ensure_one()
        if not self.figures:
            self.action_compute()
        return {
            "type": "ir.actions.act_url",
            "url": f"/credit_dunning/payment_delay_table/{self.id}/xlsx",
            "target": "download",
        }

    def _check_rights(self):
        check_credit_rights(
            self.env,
            self.env._("Only credit control may compute the payment-delay table."),
        )

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------
    def _compute_figures(self):
        """The table's figures as plain numbers (stored as JSON on the
        wizard): per side, the count and amount of each bucket and of the
        total, the base of the percentages, and what part (B) excludes."""
        self.ensure_one()
        company, closing = self.company_id, self.date_closing
        fiscal_year = company.compute_fiscalyear_dates(closing)
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["mail.tracking.value"].flush_model()
        self.env["mail.message"].flush_model()
        digits = company.currency_id.decimal_places
        figures = {
            "closing": fields.Date.to_string(closing),
            "fiscal_year_from": fields.Date.to_string(fiscal_year["date_from"]),
            "currency": company.currency_id.name,
        }
        for side in SIDES:
            figures[side] = {
                "count": dict.fromkeys([b[0] for b in BUCKETS] + ["total"], 0),
                "amount": dict.fromkeys([b[0] for b in BUCKETS] + ["total"], 0.0),
                "excluded_count": 0,
                "excluded_amount": 0.0,
                "disputed_count": 0,
                "draft_count": 0,
            }
        for move_type, bucket, disputed, count, amount in self._unpaid_rows(
            company, closing, digits
        ):
            side = figures["issued" if move_type == "out_invoice" else "received"]
            if disputed:
                side["excluded_count"] += count
                side["excluded_amount"] += amount
                side["disputed_count"] += count
                continue
            side["count"][bucket] += count
            side["amount"][bucket] += amount
            if bucket in LATE_BUCKETS:
                side["count"]["total"] += count
                side["amount"]["total"] += amount
        for move_type, count, amount in self._draft_rows(company, closing):
            side = figures["issued" if move_type == "out_invoice" else "received"]
            side["excluded_count"] += count
            side["excluded_amount"] += amount
            side["draft_count"] += count
        bases = self._bases(company, fiscal_year["date_from"], closing)
        for side, values in figures.items():
            if side not in SIDES:
                continue
            base = bases[side]
            values["base"] = float_round(base, precision_digits=digits)
            for key, amount in values["amount"].items():
                values["amount"][key] = float_round(amount, precision_digits=digits)
            values["excluded_amount"] = float_round(
                values["excluded_amount"], precision_digits=digits
            )
            values["percent"] = {
                key: (float_round(100 * amount / base, 2) if base > 0 else None)
                for key, amount in values["amount"].items()
            }
        return figures

    def _unpaid_rows(self, company, closing, digits):
        """(move_type, bucket, disputed, count, amount): the posted invoices
        and bills dated on or before the closing and unpaid at the closing,
        by bucket of days late; ``disputed``: a customer invoice under a
        dispute at the closing."""
        dispute_field = self.env["ir.model.fields"]._get(
            "account.move", "dunning_dispute"
        )
        days = SQL(
            "(%s - COALESCE(m.invoice_date_due, m.invoice_date, m.date))", closing
        )
        bucket = SQL(
            """CASE WHEN %(days)s <= 0 THEN '0'
                    WHEN %(days)s <= 30 THEN '1_30'
                    WHEN %(days)s <= 60 THEN '31_60'
                    WHEN %(days)s <= 90 THEN '61_90'
                    ELSE '91' END""",
            days=days,
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH settled AS (
                    SELECT line_id, SUM(amount) AS amount
                      FROM (SELECT pr.debit_move_id AS line_id, pr.amount
                              FROM account_partial_reconcile pr
                             WHERE pr.max_date <= %(closing)s
                               AND pr.company_id = %(company)s
                            UNION ALL
                            SELECT pr.credit_move_id, pr.amount
                              FROM account_partial_reconcile pr
                             WHERE pr.max_date <= %(closing)s
                               AND pr.company_id = %(company)s) parts
                     GROUP BY line_id
                ),
                -- the dispute flag's first change after the closing: its old
                -- value is the flag at the closing (chatter dates are UTC)
                dispute_then AS (
                    SELECT DISTINCT ON (mm.res_id)
                           mm.res_id AS move_id,
                           tv.old_value_integer = 1 AS disputed
                      FROM mail_tracking_value tv
                      JOIN mail_message mm ON mm.id = tv.mail_message_id
                     WHERE tv.field_id = %(dispute_field)s
                       AND mm.model = 'account.move'
                       AND mm.date >= %(after_closing)s
                     ORDER BY mm.res_id, mm.date, tv.id
                ),
                unpaid AS (
                    SELECT m.id, m.move_type,
                           %(bucket)s AS bucket,
                           m.move_type = 'out_invoice'
                               AND COALESCE(dt.disputed, m.dunning_dispute, FALSE)
                               AS disputed,
                           ROUND(SUM(ABS(l.balance) - COALESCE(s.amount, 0)),
                                 %(digits)s) AS amount
                      FROM account_move m
                      JOIN account_move_line l
                        ON l.move_id = m.id AND l.display_type = 'payment_term'
                      LEFT JOIN settled s ON s.line_id = l.id
                      LEFT JOIN dispute_then dt ON dt.move_id = m.id
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'in_invoice')
                       AND COALESCE(m.invoice_date, m.date) <= %(closing)s
                     GROUP BY m.id, dt.disputed
                )
                SELECT move_type, bucket, disputed, COUNT(*), SUM(amount)
                  FROM unpaid
                 WHERE amount > 0
                 GROUP BY move_type, bucket, disputed
                """,
                closing=closing,
                after_closing=closing + timedelta(days=1),
                company=company.id,
                dispute_field=dispute_field.id,
                bucket=bucket,
                digits=digits,
            )
        )
        return [
            (move_type, bucket_key, disputed, count, float(amount))
            for move_type, bucket_key, disputed, count, amount in rows
        ]

    def _draft_rows(self, company, closing):
        """(move_type, count, amount incl. taxes): the invoices and bills not
        booked (draft) dated on or before the closing."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.move_type, COUNT(*), SUM(ABS(m.amount_total_signed))
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'draft'
                   AND m.move_type IN ('out_invoice', 'in_invoice')
                   AND COALESCE(m.invoice_date, m.date) <= %(closing)s
                 GROUP BY m.move_type
                """,
                company=company.id,
                closing=closing,
            )
        )
        return [
            (move_type, count, float(amount or 0)) for move_type, count, amount in rows
        ]

    def _bases(self, company, date_from, closing):
        """The bases of the percentages, excl. taxes, of the financial year
        ending at the closing: the turnover (customer invoices less credit
        notes) and the purchases (vendor bills less refunds)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT CASE WHEN m.move_type IN ('out_invoice', 'out_refund')
                            THEN 'issued' ELSE 'received' END,
                       SUM(m.amount_untaxed_signed)
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund',
                                       'in_invoice', 'in_refund')
                   AND m.date BETWEEN %(date_from)s AND %(closing)s
                 GROUP BY 1
                """,
                company=company.id,
                date_from=date_from,
                closing=closing,
            )
        )
        totals = {side: float(amount or 0) for side, amount in rows}
        # vendor bills are negative in company currency
        return {
            "issued": totals.get("issued", 0.0),
            "received": -totals.get("received", 0.0),
        }

    # ------------------------------------------------------------------
    # What a reader sees: labels in the user's language, formatted cells
    # ------------------------------------------------------------------
    def _labels(self):
        return {
            "title": self.env._(
                "Payment terms of suppliers and customers (article D.441-6 of the "
                "French Commercial Code)"
            ),
            "company": self.env._("Company name"),
            "closing": self.env._("Closing date of the financial year"),
            "received": self.env._(
                "Article D.441 I.-1°: invoices received and not settled at the "
                "closing date of the financial year whose term has expired"
            ),
            "issued": self.env._(
                "Article D.441 I.-2°: invoices issued and not settled at the "
                "closing date of the financial year whose term has expired"
            ),
            "buckets": {
                "0": self.env._("0 day (indicative)"),
                "1_30": self.env._("1 to 30 days"),
                "31_60": self.env._("31 to 60 days"),
                "61_90": self.env._("61 to 90 days"),
                "91": self.env._("91 days and more"),
                "total": self.env._("Total (1 day and more)"),
            },
            "part_a": self.env._("(A) Late payment brackets"),
            "count": self.env._("Number of invoices concerned"),
            "amount": self.env._("Total amount of the invoices concerned (incl. VAT)"),
            "percent_received": self.env._(
                "Percentage of the total purchases of the financial year (excl. VAT)"
            ),
            "percent_issued": self.env._(
                "Percentage of the turnover of the financial year (excl. VAT)"
            ),
            "part_b": self.env._(
                "(B) Invoices excluded from (A) relating to disputed or "
                "unrecorded debts and receivables"
            ),
            "excluded_count": self.env._("Number of excluded invoices"),
            "excluded_amount": self.env._(
                "Total amount of the excluded invoices (incl. VAT)"
            ),
            "part_c": self.env._(
                "(C) Reference payment terms used (contractual or legal terms - "
                "articles L.441-10 or L.441-11 of the French Commercial Code)"
            ),
            "terms_used": self.env._("Payment terms used to compute the late payments"),
            "contractual": self.env._(
                "Contractual terms: the payment terms of the invoices"
            ),
            "legal": self.env._(
                "Legal terms: articles L.441-10 and L.441-11 of the French "
                "Commercial Code"
            ),
            "note": self.env._(
                "The column “0 day (indicative)” holds the invoices not yet due "
                "at the closing date; it is not part of the total (1 day and "
                "more). Amounts in %(currency)s still unpaid at the closing date: "
                "payments after it do not count. Part (B): invoices under "
                "dispute at the closing date and invoices not booked (draft).",
                currency=self.currency_id.name,
            ),
            "base_received": self.env._("Purchases of the financial year (excl. VAT)"),
            "base_issued": self.env._("Turnover of the financial year (excl. VAT)"),
        }

    def _table_values(self):
        """What the QWeb table and the XLSX show: labels, raw figures and
        the cells formatted in the user's language."""
        self.ensure_one()
        labels = self._labels()
        figures = self.figures or self._compute_figures()
        currency = self.currency_id
        env = self.env

        def money(amount):
            return format_amount(env, amount, currency)

        def percent(value):
            return "-" if value is None else f"{formatLang(env, value, digits=2)} %"

        keys = [b[0] for b in BUCKETS] + ["total"]
        sides = []
        for side in ("received", "issued"):
            values = figures[side]
            sides.append(
                {
                    "key": side,
                    "title": labels[side],
                    "percent_label": labels[f"percent_{side}"],
                    "base_label": labels[f"base_{side}"],
                    "base": values["base"],
                    "base_text": money(values["base"]),
                    "count": [values["count"][k] for k in keys],
                    "amount": [values["amount"][k] for k in keys],
                    "percent": [values["percent"][k] for k in keys],
                    "amount_text": [money(values["amount"][k]) for k in keys],
                    "percent_text": [percent(values["percent"][k]) for k in keys],
                    "excluded_count": values["excluded_count"],
                    "excluded_amount": values["excluded_amount"],
                    "excluded_amount_text": money(values["excluded_amount"]),
                }
            )
        terms = []
        for key in ("contractual", "legal"):
            text = labels[key]
            if key == self.reference_terms and self.reference_terms_detail:
                text = f"{text} ({self.reference_terms_detail})"
            terms.append((key == self.reference_terms, text))
        return {
            "labels": labels,
            "columns": [labels["buckets"][k] for k in keys],
            "sides": sides,
            "terms": terms,
            "company": self.company_id.name,
            "closing": format_date(env, fields.Date.to_date(figures["closing"])),
        }

    def _xlsx_content(self):
        """The table as an XLSX workbook (bytes), in the user's language."""
        self._check_rights()
        self.ensure_one()
        table = self._table_values()
        labels = table["labels"]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("D.441-6")
        bold = workbook.add_format({"bold": True})
        wrap_bold = workbook.add_format({"bold": True, "text_wrap": True})
        digits = self.currency_id.decimal_places
        money = workbook.add_format({"num_format": "#,##0." + "0" * digits})
        percent = workbook.add_format({"num_format": "0.00"})
        sheet.set_column(0, 0, 60)
        sheet.set_column(1, 6, 18)
        sheet.write(0, 0, labels["title"], bold)
        sheet.write(1, 0, labels["company"])
        sheet.write(1, 1, table["company"])
        sheet.write(2, 0, labels["closing"])
        sheet.write(2, 1, table["closing"])
        row = 4
        for side in table["sides"]:
            sheet.write(row, 0, side["title"], wrap_bold)
            row += 1
            sheet.write(row, 0, labels["part_a"], bold)
            for col, title in enumerate(table["columns"], start=1):
                sheet.write(row, col, title, wrap_bold)
            row += 1
            for label, values, fmt in (
                (labels["count"], side["count"], None),
                (labels["amount"], side["amount"], money),
                (side["percent_label"], side["percent"], percent),
            ):
                sheet.write(row, 0, label)
                for col, value in enumerate(values, start=1):
                    if value is None:
                        sheet.write(row, col, "-")
                    else:
                        sheet.write_number(row, col, value, fmt)
                row += 1
            sheet.write(row, 0, side["base_label"])
            sheet.write_number(row, 1, side["base"], money)
            row += 1
            sheet.write(row, 0, labels["part_b"], bold)
            row += 1
            sheet.write(row, 0, labels["excluded_count"])
            sheet.write_number(row, 1, side["excluded_count"])
            row += 1
            sheet.write(row, 0, labels["excluded_amount"])
            sheet.write_number(row, 1, side["excluded_amount"], money)
            row += 2
        sheet.write(row, 0, labels["part_c"], bold)
        row += 1
        sheet.write(row, 0, labels["terms_used"])
        for checked, text in table["terms"]:
            sheet.write(row, 1, ("☒ " if checked else "☐ ") + text)
            row += 1
        row += 1
        sheet.write(row, 0, labels["note"])
        workbook.close()
        return output.getvalue()

    def _xlsx_filename(self):
        self.ensure_one()
        return f"D441-6 {self.company_id.name} {self.date_closing}.xlsx"

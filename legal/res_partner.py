import io
import re
import zipfile
from collections import defaultdict
from datetime import date, timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date
from odoo.tools.pdf import merge_pdf

from ..credit_control.rights import check_credit_rights
from ..dunning_levels.chatter import staff_env
from ..late_payment.penalties import (
    MissingRateError,
    half_year_start,
    interest_periods,
    next_half_year_start,
)


def _file_name(text):
    """A file name for the zip: no slash nor other character a file system
    refuses."""
    return re.sub(r'[\\/:*?"<>|]+', "_", text or "").strip() or "document"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_credit_evidence_pack(self):
        """The lawyer's evidence pack of the customer, as of today: one PDF
        and a zip of the originals, attached to the customer."""
        check_credit_rights(
            self.env,
            self.env._("Only credit managers can build the evidence pack."),
            manager=True,
        )
        self.ensure_one()
        pdf, _zip = self._credit_evidence_pack(fields.Date.context_today(self))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Evidence pack attached to the customer: %s", pdf.name
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # The claim: overdue invoices, interest per half-year, indemnities
    # ------------------------------------------------------------------
    def _credit_claim_invoices(self, company, as_of):
        """The customer's open invoices overdue on ``as_of`` in ``company``
        (the penalty invoices are not part of the claim: their interest and
        indemnities are counted again here, up to ``as_of``)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("credit_is_penalty_invoice", "=", False),
                    ("invoice_date_due", "<", as_of),
                ],
                order="invoice_date_due, name, id",
            )
        )

    def _credit_legal_figures(
        self,
        company,
        as_of,
        invoices=None,
        rate_for=None,
        indemnity=None,
        receivables=None,
    ):
        """What the customer owes ``company`` on ``as_of``, company currency:

        - ``invoices``: [{move, residual, days, interest, indemnity}];
        - ``half_years``: [{start, first, end, rate, interest}] the statutory
          interest per reference-rate half-year, from its first day of
          interest to its end or ``as_of`` (rounded per invoice and
          half-year; an invoice's interest is the sum of its half-years);
        - ``principal``, ``interest``, ``indemnity``, ``total``;
        - ``error``: the missing reference rate, in the language of the
          context (then no interest is counted).

        ``invoices`` (the customer's open invoices, already read),
        ``rate_for``, ``indemnity`` (the company's, on ``as_of``) and
        ``receivables`` ({invoice id: [(balance, due date, [(payment date,
        amount)])]}) spare the queries when many customers are checked.
        """
        self.ensure_one()
        currency = company.currency_id
        if invoices is None:
            invoices = self._credit_claim_invoices(company, as_of)
        else:
            invoices = invoices.filtered(
                lambda m: (
                    not m.credit_is_penalty_invoice
                    and m.invoice_date_due
                    and m.invoice_date_due < as_of
                )
            )
        rate_for = rate_for or company._credit_penalty_rate_for()
        if indemnity is None:
            indemnity = company._credit_recovery_indemnity_company_currency(as_of)
        if not self.commercial_partner_id.is_company:
            indemnity = 0.0
        if receivables is None:
            receivables = invoices._credit_receivable_triples()
        rows, half_years, error = [], {}, False
        for move in invoices:
            by_half, rates, first = defaultdict(float), {}, {}
            try:
                lines = receivables.get(move.id, [])
                for balance, date_maturity, payments in lines:
                    for period in interest_periods(
                        balance, date_maturity, as_of, payments, rate_for
                    ):
                        start = half_year_start(period.date_from)
                        by_half[start] += period.interest
                        rates[start] = period.rate
                        first[start] = min(
                            first.get(start, period.date_from), period.date_from
                        )
            except MissingRateError as missing:
                error = error or self.env._(
                    "No reference rate for the half-year starting %(date)s: add it "
                    "in Credit Control > Configuration > Reference Rates.",
                    date=format_date(self.env, missing.half_year_start),
                )
                by_half = {}
            interest = 0.0
            for start, amount in sorted(by_half.items()):
                rounded = currency.round(amount)
                entry = half_years.setdefault(
                    start,
                    {
                        "start": start,
                        "first": first[start],
                        "end": min(
                            next_half_year_start(start) - timedelta(days=1), as_of
                        ),
                        "rate": rates[start],
                        "interest": 0.0,
                    },
                )
                entry["first"] = min(entry["first"], first[start])
                entry["interest"] = currency.round(entry["interest"] + rounded)
                interest += rounded
            rows.append(
                {
                    "move": move,
                    "residual": move.amount_residual_signed,
                    "days": (as_of - move.invoice_date_due).days,
                    "interest": currency.round(interest),
                    "indemnity": indemnity,
                }
            )
        principal = currency.round(sum(row["residual"] for row in rows))
        interest = currency.round(sum(row["interest"] for row in rows))
        indemnities = currency.round(sum(row["indemnity"] for row in rows))
        return {
            "invoices": rows,
            "half_years": [half_years[start] for start in sorted(half_years)],
            "principal": principal,
            "interest": interest,
            "indemnity": indemnities,
            "indemnity_count": len([row for row in rows if row["indemnity"]]),
            "total": currency.round(principal + interest + indemnities),
            "error": error,
            "currency": currency,
        }

    def _credit_half_year_label(self, start):
        """ "1st half of 2026", in the language of the context."""
        if start.month == 1:
            return self.env._("1st half of %s", start.year)
        return self.env._("2nd half of %s", start.year)

    # ------------------------------------------------------------------
    # The evidence pack
    # ------------------------------------------------------------------
    def _credit_evidence_values(self, as_of):
        """Everything the cover sheet prints (as superuser: the rights were
        checked by the action)."""
        self.ensure_one()
        if isinstance(as_of, str):
            as_of = date.fromisoformat(as_of)
        partner = self.commercial_partner_id.sudo()
        company = self.env.company
        figures = partner._credit_legal_figures(company, as_of)
        moves = self.env["account.move"].browse(
            [row["move"].id for row in figures["invoices"]]
        )
        communications = (
            self.env["credit.dunning.communication"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)],
                order="date, id",
            )
        )
        promises = (
            self.env["credit.dunning.promise"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)],
                order="create_date, id",
            )
        )
        payments = []
        for line in moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ):
            for partial in line.matched_credit_ids:
                payments.append(
                    {
                        "date": partial.max_date,
                        "reference": partial.credit_move_id.move_id.display_name,
                        "invoice": line.move_id.name,
                        "amount": partial.amount,
                    }
                )
        payments.sort(key=lambda payment: (payment["date"], payment["reference"]))
        return {
            "as_of": as_of,
            "company": company,
            "partner": partner,
            "figures": figures,
            "moves": moves,
            "communications": communications,
            "formal_notices": communications.filtered("level_id.formal_notice"),
            "promises": promises,
            "payments": payments,
            "payments_total": sum(payment["amount"] for payment in payments),
            "penalty_mention": moves[:1].credit_penalty_mention,
        }

    def _credit_evidence_documents(self, as_of):
        """[(file name, PDF bytes, merged)] of the pack, in its order: the
        cover, the invoices, the letters and statements sent, the formal
        notices' delivery proofs (those that are not PDF go in the zip only).

        Rendered one document per wkhtmltopdf call (Debian's cannot do
        more), always as PDF, test mode included: the pack is a PDF."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        staff = staff_env(self.env, company)
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True, lang=staff.lang)
        )
        values = partner.with_env(staff)._credit_evidence_values(as_of)
        figures = values["figures"]
        if figures["error"]:
            raise UserError(figures["error"])
        if not figures["invoices"]:
            raise UserError(
                staff._(
                    "%s has no overdue invoice: there is nothing to claim.",
                    partner.name,
                )
            )
        cover, _fmt = Report._render_qweb_pdf(
            "credit_dunning.action_report_credit_evidence_pack",
            partner.ids,
            data={"as_of": fields.Date.to_string(as_of)},
        )
        documents = [(staff._("00 Cover sheet.pdf"), cover, True)]
        for move in values["moves"]:
            original = move.invoice_pdf_report_id
            content = (
                original.raw
                if original
                else Report._render_qweb_pdf("account.account_invoices", move.ids)[0]
            )
            documents.append(
                (
                    staff._("Invoice %s.pdf", _file_name(move.name)),
                    content,
                    True,
                )
            )
        for comm in values["communications"]:
            letter = comm.attachment_id
            if letter and letter.mimetype == "application/pdf":
                documents.append(
                    (
                        _file_name(
                            f"{fields.Date.to_string(comm.date)} "
                            f"{comm.level_id.with_env(staff).name}.pdf"
                        ),
                        letter.raw,
                        True,
                    )
                )
            if comm.delivery_proof:
                proof = (
                    self.env["ir.attachment"]
                    .sudo()
                    .search(
                        [
                            ("res_model", "=", comm._name),
                            ("res_id", "=", comm.id),
                            ("res_field", "=", "delivery_proof"),
                        ],
                        limit=1,
                    )
                )
                documents.append(
                    (
                        _file_name(
                            staff._(
                                "%(date)s Delivery proof %(name)s",
                                date=fields.Date.to_string(
                                    comm.delivery_proof_date or comm.date
                                ),
                                name=comm.delivery_proof_filename or "",
                            )
                        ),
                        proof.raw,
                        proof.mimetype == "application/pdf",
                    )
                )
        return documents

    def _credit_evidence_pack(self, as_of):
        """Build the pack, attach the PDF and the zip to the customer, note it
        in the chatter. (PDF attachment, zip attachment)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        staff = staff_env(self.env, company)
        documents = self._credit_evidence_documents(as_of)
        merged = merge_pdf([content for _name, content, pdf in documents if pdf])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            seen = set()
            for name, content, _pdf in documents:
                unique, count = name, 1
                while unique in seen:
                    count += 1
                    unique = f"{count} {name}"
                seen.add(unique)
                archive.writestr(unique, content)
        base = staff._(
            "Evidence pack %(partner)s %(date)s",
            partner=_file_name(partner.name),
            date=fields.Date.to_string(as_of),
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{base}.pdf",
                        "raw": merged,
                        "mimetype": "application/pdf",
                        "res_model": "res.partner",
                        "res_id": partner.id,
                    },
                    {
                        "name": f"{base}.zip",
                        "raw": buffer.getvalue(),
                        "mimetype": "application/zip",
                        "res_model": "res.partner",
                        "res_id": partner.id,
                    },
                ]
            )
        )
        figures = partner.with_env(staff)._credit_legal_figures(company, as_of)
        currency = figures["currency"]
        partner.sudo().message_post(
            body=Markup("<p>%s</p>")
            % staff._(
                "Evidence pack built by %(user)s as of %(date)s: %(total)s claimed "
                "(principal %(principal)s, interest %(interest)s, indemnities "
                "%(indemnity)s).",
                user=self.env.user.name,
                date=format_date(staff, as_of),
                total=format_amount(staff, figures["total"], currency),
                principal=format_amount(staff, figures["principal"], currency),
                interest=format_amount(staff, figures["interest"], currency),
                indemnity=format_amount(staff, figures["indemnity"], currency),
            ),
            attachment_ids=attachments.ids,
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return attachments[0], attachments[1]

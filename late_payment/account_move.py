import functools
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..dunning_levels.credit_dunning_communication import (
    amount_formatter,
    format_percent,
)
from .account_payment_term import latest_lawful_due_date
from .penalties import MissingRateError, half_year_start, late_interest


class AccountMove(models.Model):
    _inherit = "account.move"

    # Statutory penalties, company currency, as of today
    late_interest_amount = fields.Monetary(
        string="Late-Payment Interest",
        compute="_compute_late_penalties",
        currency_field="company_currency_id",
        help="Interest due as of today: amount due x rate x days late / 365, per "
        "half-year and per amount due.",
    )
    recovery_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_late_penalties",
        currency_field="company_currency_id",
        help="Fixed indemnity for recovery costs (40 EUR) of a late invoice of a "
        "business customer.",
    )
    recovery_indemnity_label = fields.Char(
        string="Recovery Indemnity (as the law states it)",
        compute="_compute_late_penalties",
        help="The indemnity in euros, with its equivalent in the company's "
        "currency when it keeps its books in another one.",
    )
    late_interest_detail = fields.Text(compute="_compute_late_penalties")
    late_interest_error = fields.Char(compute="_compute_late_penalties")
    credit_is_penalty_invoice = fields.Boolean(
        string="Penalty Invoice", copy=False, readonly=True
    )
    credit_penalty_source_ids = fields.Many2many(
        "account.move",
        "credit_penalty_account_move_rel",
        "penalty_move_id",
        "source_move_id",
        string="Late Invoices",
        copy=False,
        readonly=True,
    )
    credit_penalty_invoice_ids = fields.Many2many(
        "account.move",
        "credit_penalty_account_move_rel",
        "source_move_id",
        "penalty_move_id",
        string="Penalty Invoices",
        copy=False,
        readonly=True,
    )
    credit_term_noncompliant = fields.Boolean(
        string="Payment Term Over the Legal Limit",
        compute="_compute_credit_term_noncompliant",
        store=True,
        help="Business customer invoice due later than 60 days from its date or 45 "
        "days end of month (French Code de commerce L441-10).",
    )

    credit_penalty_mention = fields.Char(
        compute="_compute_credit_penalty_mention",
        help="Mandatory mention of the late-payment penalties on business invoices.",
    )

    @api.model
    def _credit_control_fields(self):
        return super()._credit_control_fields() | {
            "credit_is_penalty_invoice",
            "credit_penalty_source_ids",
            "credit_penalty_invoice_ids",
        }

    @api.depends(
        "move_type", "commercial_partner_id.is_company", "company_id", "invoice_date"
    )
    def _compute_credit_penalty_mention(self):
        for move in self:
            company = move.company_id
            if not (
                move.move_type == "out_invoice"
                and move.commercial_partner_id.is_company
                and company
            ):
                move.credit_penalty_mention = False
                continue
            day = move.invoice_date or fields.Date.context_today(move)
            if company.credit_penalty_rate_type == "contractual":
                rate = self.env._(
                    "%s %% per year", f"{company.credit_contractual_rate:g}"
                )
            else:
                try:
                    annual = company._credit_penalty_rate_for()(half_year_start(day))
                    rate = self.env._(
                        "%(rate)s %% per year (central bank rate + %(margin)s points)",
                        rate=f"{annual:g}",
                        margin=f"{company.credit_penalty_margin:g}",
                    )
                except MissingRateError:
                    rate = self.env._(
                        "the central bank refinancing rate + %s points",
                        f"{company.credit_penalty_margin:g}",
                    )
            if company.credit_recovery_indemnity_applies:
                move.credit_penalty_mention = self.env._(
                    "Late payment: interest at %(rate)s from the day after the due "
                    "date, and a fixed indemnity for recovery costs of %(indemnity)s "
                    "(Code de commerce L441-10 and D441-5). No discount for early "
                    "payment.",
                    rate=rate,
                    indemnity=company._credit_indemnity_label(1, day),
                )
            else:
                move.credit_penalty_mention = self.env._(
                    "Late payment: interest at %(rate)s from the day after the due "
                    "date (Code de commerce L441-10). No discount for early payment.",
                    rate=rate,
                )

    @api.depends_context("date", "lang")
    def _compute_late_penalties(self):
        today = fields.Date.context_today(self)
        # the receivable lines of all the invoices and their payments in one
        # read, the amounts and dates formatted the fast way, the indemnity's
        # label once per company: a customer's account page computes this
        # for each of its open invoices (1,000 of them: 0.9 s before)
        receivables = self._credit_receivable_lines()
        formats = (
            amount_formatter(self.env),
            functools.cache(lambda day: format_date(self.env, day)),
        )
        for company, moves in self.grouped("company_id").items():
            if not company:
                moves.late_interest_amount = moves.recovery_indemnity_amount = 0.0
                moves.recovery_indemnity_label = False
                moves.late_interest_detail = moves.late_interest_error = False
                continue
            rate_for = company._credit_penalty_rate_for()
            indemnity = company._credit_recovery_indemnity_company_currency(today)
            label = None
            for move in moves:
                values = move._credit_late_penalties(
                    today,
                    rate_for,
                    indemnity,
                    lines=receivables.get(move.id),
                    formats=formats,
                )
                if values["indemnity"] and label is None:
                    label = company._credit_indemnity_label(1, today)
                move.late_interest_amount = values["interest"]
                move.recovery_indemnity_amount = values["indemnity"]
                move.recovery_indemnity_label = label if values["indemnity"] else False
                move.late_interest_detail = values["detail"]
                move.late_interest_error = values["error"]

    def _credit_receivable_lines(self):
        """{invoice id: its receivable lines with a due date}, for the saved
        posted customer invoices of ``self``, read at once with the fields
        the penalties need (not every line nor every field of each)."""
        ids = [
            move.id
            for move in self
            if isinstance(move.id, int)
            and move.move_type == "out_invoice"
            and move.state == "posted"
        ]
        result = defaultdict(lambda: self.env["account.move.line"])
        if not ids:
            return result
        lines = self.env["account.move.line"].search_fetch(
            [
                ("move_id", "in", ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date_maturity", "!=", False),
            ],
            ["move_id", "date_maturity", "balance", "amount_residual"],
        )
        lines.matched_credit_ids.fetch(["max_date", "amount"])
        for line in lines:
            result[line.move_id.id] |= line
        return result

    def _credit_receivable_triples(self):
        """{invoice id: [(balance, due date, [(payment date, amount)])]}: the
        receivable lines of ``_credit_receivable_lines`` as the interest
        calculation reads them (the legal figures of many customers)."""
        return {
            move_id: [
                (
                    line.balance,
                    line.date_maturity,
                    [(p.max_date, p.amount) for p in line.matched_credit_ids],
                )
                for line in lines
            ]
            for move_id, lines in self._credit_receivable_lines().items()
        }

    @api.depends(
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "invoice_payment_term_id.credit_term_noncompliant",
        "commercial_partner_id.is_company",
    )
    def _compute_credit_term_noncompliant(self):
        for move in self:
            move.credit_term_noncompliant = bool(
                move.move_type == "out_invoice"
                and move.commercial_partner_id.is_company
                and (
                    move.invoice_payment_term_id.credit_term_noncompliant
                    or (
                        move.invoice_date
                        and move.invoice_date_due
                        and move.invoice_date_due
                        > latest_lawful_due_date(move.invoice_date)
                    )
                )
            )

    def _credit_late_penalties(
        self, as_of, rate_for, indemnity, lines=None, formats=None
    ):
        """Interest and indemnity of one invoice as of a date, with the detail
        of the calculation, or the error that prevents it. ``lines``: its
        receivable lines when already read (``_credit_receivable_lines``);
        ``formats``: (amount formatter, date formatter) of the batch."""
        self.ensure_one()
        result = {"interest": 0.0, "indemnity": 0.0, "detail": False, "error": False}
        if (
            self.move_type != "out_invoice"
            or self.state != "posted"
            or self.credit_is_penalty_invoice
        ):
            return result
        currency = self.company_id.currency_id
        if lines is None:
            lines = (
                self._credit_receivable_lines().get(self.id)
                or self.env["account.move.line"]
            )
        fmt_amount, fmt_date = formats or (
            amount_formatter(self.env),
            lambda day: format_date(self.env, day),
        )
        fmt_percent = functools.cache(lambda rate: format_percent(self.env, rate))
        late = False
        total = 0.0
        detail = []
        try:
            for line in lines:
                payments = [
                    (partial.max_date, partial.amount)
                    for partial in line.matched_credit_ids
                ]
                paid_late = any(day > line.date_maturity for day, _amount in payments)
                if as_of > line.date_maturity and (
                    not currency.is_zero(line.amount_residual) or paid_late
                ):
                    late = True
                interest, periods = late_interest(
                    line.balance, line.date_maturity, as_of, payments, rate_for
                )
                total += interest
                for period in periods:
                    detail.append(
                        self.env._(
                            "%(amount)s x %(rate)s x %(days)s days / 365 "
                            "(%(date_from)s - %(date_to)s) = %(interest)s",
                            amount=fmt_amount(period.amount, currency),
                            rate=fmt_percent(period.rate),
                            days=period.days,
                            date_from=fmt_date(period.date_from),
                            date_to=fmt_date(period.date_to),
                            interest=fmt_amount(period.interest, currency),
                        )
                    )
        except MissingRateError as error:
            result["error"] = self.env._(
                "No reference rate for the half-year starting %(date)s: add it in "
                "Credit Control > Configuration > Reference Rates.",
                date=format_date(self.env, error.half_year_start),
            )
            total, detail = 0.0, []
        result["interest"] = currency.round(total)
        result["detail"] = "\n".join(detail) or False
        if late and self.commercial_partner_id.is_company:
            result["indemnity"] = indemnity
        return result

    def action_credit_reverse_penalties(self):
        """A credit manager takes penalties back: a draft penalty invoice is
        cancelled, a posted one reversed by a credit note."""
        self._credit_check_user(manager=True)
        penalties = self.filtered("credit_is_penalty_invoice")
        if penalties != self:
            raise UserError(self.env._("Only penalty invoices can be reversed here."))
        drafts = penalties.filtered(lambda m: m.state == "draft")
        drafts.button_cancel()
        posted = penalties.filtered(
            lambda m: m.state == "posted" and m.payment_state != "reversed"
        )
        if posted:
            posted._reverse_moves(
                [{"ref": self.env._("Penalties taken back")}] * len(posted), cancel=True
            )
        for move in drafts | posted:
            move.message_post(
                body=self.env._("Penalties taken back by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

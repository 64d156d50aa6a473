import calendar
from datetime import date

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, frozendict
from odoo.tools.sql import column_exists, create_column

from ..dunning_levels.chatter import staff_env
from ..late_payment.account_payment_term import latest_lawful_due_date


def _payday_of(year, month, payday):
    """The payday of a month: day 31 of a 30-day month is its last day."""
    return date(year, month, min(payday, calendar.monthrange(year, month)[1]))


def payday_due_date(term_date, invoice_date, payday):
    """The due date of an instalment of the payment term due ``term_date``
    for a customer paid on day ``payday``: the first payday on or after the
    term's date, when it is not later than the legal limit of the invoice
    (60 days from ``invoice_date`` or 45 days end of month, Code de commerce
    L441-10); otherwise the term's date stays. The due date never comes
    before the term's date: the term is what the customer agreed to."""
    if not payday:
        return term_date
    moved = _payday_of(term_date.year, term_date.month, payday)
    if moved < term_date:
        following = term_date + relativedelta(months=1)
        moved = _payday_of(following.year, following.month, payday)
    if moved > latest_lawful_due_date(invoice_date):
        return term_date
    return moved


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_payday_moved_from = fields.Date(
        string="Due Date of the Payment Term",
        compute="_compute_credit_payday_moved_from",
        store=True,
        copy=False,
        help="The due date the payment term gave, before it moved to the "
        "customer's payday.",
    )

    def _auto_init(self):
        # no customer has a payday yet: an empty column, rather than the
        # computation of every journal entry at installation
        if not column_exists(self.env.cr, "account_move", "credit_payday_moved_from"):
            create_column(
                self.env.cr, "account_move", "credit_payday_moved_from", "date"
            )
        return super()._auto_init()

    @api.depends(
        "move_type",
        "partner_id",
        "invoice_payment_term_id",
        "invoice_date",
        "date",
    )
    def _compute_credit_payday_moved_from(self):
        for move in self:
            dates = move._credit_payday_term_dates()
            term_date = max(dates, default=False)
            move.credit_payday_moved_from = (
                term_date if dates and max(dates.values()) != term_date else False
            )

    @api.depends("partner_id")
    def _compute_needed_terms(self):
        # Customer invoices of a customer with a payday fall due on it: each
        # instalment of the payment term moves, the receivable lines with it
        # (the dunning ladder counts from their date).
        if self.env.context.get("credit_payday_resync"):
            # see _credit_payday_resync: nothing needed before the sync
            for move in self:
                move.needed_terms = {}
                move.needed_terms_dirty = True
            return None
        result = super()._compute_needed_terms()
        for move in self:
            dates = move._credit_payday_term_dates()
            if not any(term != moved for term, moved in dates.items()):
                continue
            needed = {}
            for key, values in move.needed_terms.items():
                moved = dates.get(key["date_maturity"], key["date_maturity"])
                new_key = frozendict(key, date_maturity=moved)
                if new_key in needed:
                    needed[new_key]["balance"] += values["balance"]
                    needed[new_key]["amount_currency"] += values["amount_currency"]
                else:
                    needed[new_key] = dict(values)
            move.needed_terms = needed
        return result

    def _credit_payday_term_dates(self):
        """{due date of the payment term: due date on the customer's payday}
        of each instalment of a customer invoice with a payment term, for a
        customer with a payday; {} otherwise."""
        self.ensure_one()
        payday = self.commercial_partner_id.credit_payday
        term = self.invoice_payment_term_id
        if not (payday and term and self.move_type == "out_invoice"):
            return {}
        date_ref = self.invoice_date or self.date or fields.Date.context_today(self)
        return {
            term_date: payday_due_date(term_date, date_ref, payday)
            for term_date in {line._get_due_date(date_ref) for line in term.line_ids}
        }

    def _credit_payday_stale(self):
        """Whether the due date of this invoice is not the one its customer's
        payday gives it now."""
        self.ensure_one()
        dates = self._credit_payday_term_dates()
        if not dates:
            return bool(self.credit_payday_moved_from)
        return self.invoice_date_due != max(dates.values())

    def _credit_payday_resync(self):
        """Move the due dates and receivable lines of these drafts to what
        their customer's payday gives now. Odoo's sync of the dynamic lines
        changes the receivable lines when what an invoice needs changes
        during the sync: it starts here from nothing needed."""
        if not self:
            return
        before = self.with_context(credit_payday_resync=True)
        self.invalidate_recordset(["needed_terms", "needed_terms_dirty"])
        container = {"records": before}
        with before._check_balanced(container), before._sync_dynamic_lines(container):
            self.invalidate_recordset(["needed_terms", "needed_terms_dirty"])
            container["records"] = self
            self.modified(["invoice_payment_term_id"])

    def _post(self, soft=True):
        # a draft made before the customer's payday was set (or removed)
        # falls due on what its customer asks now
        self.filtered(
            lambda m: m.state == "draft" and m._credit_payday_stale()
        )._credit_payday_resync()
        posted = super()._post(soft=soft)
        moved = posted.filtered("credit_payday_moved_from")
        for move in moved:
            staff = staff_env(self.env, move.company_id)
            move.message_post(
                body=Markup("<p>%s</p>")
                % staff._(
                    "Due date moved to the customer's payday (day %(payday)s of "
                    "the month): %(due)s instead of %(term_due)s, the payment "
                    "term's date.",
                    payday=move.commercial_partner_id.credit_payday,
                    due=format_date(staff, move.invoice_date_due),
                    term_due=format_date(staff, move.credit_payday_moved_from),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return posted

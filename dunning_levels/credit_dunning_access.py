import functools
import secrets

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, format_date

from ..credit_control.rights import check_credit_rights
from .chatter import staff_env, user_env

EVENT_KINDS = [
    ("opened", "Opened"),
    ("statement", "Statement downloaded"),
    ("paid", "Paid"),
    ("promised", "Promised to pay"),
    ("disputed", "Disputed"),
    ("plan", "Payment plan requested"),
]


class CreditDunningAccess(models.Model):
    """A link to the customer's account page that works without a login:
    a random token per customer and company, valid for a set time from the
    last reminder that carried it, revocable, with the log of what the
    customer did through it."""

    _name = "credit.dunning.access"
    _description = "Customer Account Page Link"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: secrets.token_urlsafe(16),
        groups="credit_dunning.group_credit_control_user",
    )
    expiry_date = fields.Date(string="Valid Until", required=True, tracking=True)
    revoked = fields.Boolean(readonly=True, tracking=True)
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("revoked", "Revoked")],
        compute="_compute_state",
    )
    url = fields.Char(
        string="Link",
        compute="_compute_url",
        groups="credit_dunning.group_credit_control_user",
    )
    event_ids = fields.One2many(
        "credit.dunning.access.event", "access_id", string="Access Log", readonly=True
    )
    last_event_date = fields.Datetime(
        string="Last Visit", compute="_compute_last_event_date"
    )

    _token_unique = models.Constraint("UNIQUE(token)", "A link token is unique.")

    @api.depends("expiry_date", "revoked")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for access in self:
            if access.revoked:
                access.state = "revoked"
            elif access.expiry_date and access.expiry_date < today:
                access.state = "expired"
            else:
                access.state = "valid"

    def _compute_url(self):
        for access in self:
            access.url = access.sudo()._full_url()

    @api.depends("event_ids.date")
    def _compute_last_event_date(self):
        for access in self:
            access.last_event_date = max(access.event_ids.mapped("date") or [False])

    def action_revoke(self):
        """The link stops working at once (a customer lost it, or it went to
        the wrong person); the next reminder carries a new one."""
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can revoke a customer's link."),
        )
        for access in self.filtered(lambda a: not a.revoked):
            access.revoked = True
            staff = staff_env(self.env, access.company_id)
            access.message_post(
                body=staff._("Link revoked by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
            access.partner_id._credit_log_note(
                staff._(
                    "Account page link revoked by %s: it no longer opens.",
                    self.env.user.name,
                )
            )
        return True

    # ------------------------------------------------------------------
    # Business methods (called as superuser by the run and the portal)
    # ------------------------------------------------------------------
    def _base_url(self):
        self.ensure_one()
        return self.company_id.get_base_url()

    def _full_url(self):
        self.ensure_one()
        return f"{self._base_url()}/my/credit/{self.token}"

    def _short_url(self):
        """What a letter prints: no scheme, the short route."""
        self.ensure_one()
        host = self._base_url().split("://", 1)[-1]
        return f"{host}/c/{self.token}"

    @api.model
    def _validity_days(self, company):
        return company.credit_portal_validity_days or 60

    @api.model
    def _ensure_for(self, partners, company, renew=True):
        """{commercial partner id: access}: the valid link of each customer
        in ``company``, made when missing; ``renew`` pushes its expiry to
        today plus the company's validity (a reminder renews the link it
        carries). One search and one create for the whole batch."""
        Access = self.sudo()
        commercials = partners.commercial_partner_id
        today = fields.Date.context_today(self)
        expiry = fields.Date.add(today, days=self._validity_days(company))
        existing = Access.search(
            [
                ("partner_id", "in", commercials.ids),
                ("company_id", "=", company.id),
                ("revoked", "=", False),
                ("expiry_date", ">=", today),
            ],
            order="id",
        )
        result = {access.partner_id.id: access for access in existing}
        if renew:
            stale = existing.filtered(lambda a: a.expiry_date < expiry)
            if stale:
                stale.expiry_date = expiry
        missing = [p for p in commercials if p.id not in result]
        if missing:
            created = Access.create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "expiry_date": expiry,
                    }
                    for partner in missing
                ]
            )
            result.update({access.partner_id.id: access for access in created})
        return result

    @api.model
    def _from_token(self, token):
        """The valid link of ``token`` (as superuser), else an empty
        recordset: unknown, expired and revoked links open nothing."""
        if not token or not isinstance(token, str) or len(token) > 64:
            return self.sudo().browse()
        access = self.sudo().search(
            Domain("token", "=", token) & Domain("revoked", "=", False), limit=1
        )
        if not access or access.expiry_date < fields.Date.context_today(access):
            return self.sudo().browse()
        # what the customer makes is made by OdooBot (as the cron does), not
        # by the public user, whom the staff may not read
        return access.with_user(SUPERUSER_ID)

    def _log(self, kind, detail=None):
        self.ensure_one()
        if kind not in dict(EVENT_KINDS):
            raise UserError(self.env._("Unknown access event %s.", kind))
        return (
            self.env["credit.dunning.access.event"]
            .sudo()
            .create({"access_id": self.id, "kind": kind, "detail": detail})
        )

    # ------------------------------------------------------------------
    # What the customer sees and does on its account page (as superuser,
    # always within this link's customer and company)
    # ------------------------------------------------------------------
    def _open_moves_domain(self):
        self.ensure_one()
        return Domain(
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )

    def _open_moves(self):
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .search(self._open_moves_domain(), order="invoice_date_due, id")
        )

    def _customer_moves(self, move_ids, move_type="out_invoice"):
        """The open documents ``move_ids`` of this link's customer; any id
        that is not one of them refuses the whole request."""
        self.ensure_one()
        try:
            ids = {int(move_id) for move_id in move_ids or ()}
        except (TypeError, ValueError):
            ids = {0}
        moves = self.env["account.move"].sudo().browse()
        if ids:
            moves = moves.search(
                self._open_moves_domain()
                & Domain("id", "in", list(ids))
                & Domain("move_type", "=", move_type)
            )
        if not ids or len(moves) != len(ids):
            raise UserError(
                self.env._(
                    "Choose one or more of your open invoices: the ones you chose "
                    "are not on your account or are already paid."
                )
            )
        return moves

    def _page_values(self):
        """Open items, totals and the statutory penalties as of today, in the
        company's currency (what the page and the statement show)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        moves = self._open_moves()
        # the customer opens each document through Odoo's invoice portal:
        # the missing access tokens in one statement
        missing = moves.filtered(lambda m: not m.access_token)
        if missing:
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET access_token = gen_random_uuid()::text "
                    "WHERE id = ANY(%s) AND access_token IS NULL",
                    missing.ids,
                )
            )
            missing.invalidate_recordset(["access_token"])
        overdue = moves.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.invoice_date_due
                and m.invoice_date_due < today
            )
        )
        # a disputed invoice is not claimed while we examine it: not in the
        # overdue total, no penalties on it
        disputed = overdue.filtered("dunning_dispute")
        overdue -= disputed
        credit_notes = moves.filtered(lambda m: m.move_type == "out_refund")
        interest = indemnity = 0.0
        if overdue:
            late = overdue.with_context(date=today).filtered(
                lambda m: not m.late_interest_error
            )
            interest = sum(late.mapped("late_interest_amount"))
            indemnity = sum(late.mapped("recovery_indemnity_amount"))
        promised = {}
        for promise in (
            self.env["credit.dunning.promise"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "open"),
                ],
                order="date desc",
            )
        ):
            for move_id in promise.move_ids.ids:
                promised[move_id] = promise.date
        env = self.env
        return {
            "access": self,
            "promised": promised,
            # a few hundred dates and amounts for a thousand rows: each
            # formatted once, without the widgets' markup
            "fmt_date": functools.cache(lambda day: format_date(env, day)),
            "fmt_amount": lambda amount, currency: format_amount(env, amount, currency),
            "company": self.company_id,
            "customer": self.partner_id,
            "currency": self.company_id.currency_id,
            "today": today,
            "moves": moves,
            "overdue_ids": set(overdue.ids),
            "amount_due": sum(moves.mapped("amount_residual_signed")),
            "amount_overdue": sum(overdue.mapped("amount_residual_signed")),
            "amount_disputed": sum(disputed.mapped("amount_residual_signed")),
            "amount_credit_notes": sum(credit_notes.mapped("amount_residual_signed")),
            "late_interest": interest,
            "recovery_indemnity": indemnity,
        }

    def _policy(self):
        self.ensure_one()
        return self.partner_id._credit_dunning_policy(self.company_id)

    def _parse_date(self, value):
        try:
            return fields.Date.to_date(value)
        except (TypeError, ValueError):
            return None

    def _promise_refusal(self):
        """Why the customer may not promise online (a promise broken in the
        policy's last months), else False."""
        self.ensure_one()
        months = self._policy().portal_promise_block_months
        if not months:
            return False
        since = fields.Date.subtract(fields.Date.context_today(self), months=months)
        broken = (
            self.env["credit.dunning.promise"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "broken"),
                    ("date", ">=", since),
                ],
                limit=1,
            )
        )
        if broken:
            return self.env._(
                "A payment promise could not be kept recently, so we cannot take a "
                "new one online. Please pay now or call us: we will find a solution "
                "together."
            )
        return False

    def _portal_promise(self, date, move_ids):
        """The customer promises to pay ``move_ids`` by ``date``: a promise
        that pauses the ladder for them, and a task for the collector."""
        self.ensure_one()
        refusal = self._promise_refusal()
        if refusal:
            raise UserError(refusal)
        policy = self._policy()
        today = fields.Date.context_today(self)
        limit = fields.Date.add(today, days=policy.portal_promise_max_days or 30)
        day = self._parse_date(date)
        if not day or day < today or day > limit:
            raise UserError(
                self.env._(
                    "Choose a payment date between today and %s.",
                    format_date(self.env, limit),
                )
            )
        moves = self._customer_moves(move_ids)
        promise = (
            self.env["credit.dunning.promise"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "move_ids": [Command.set(moves.ids)],
                    "date": day,
                    "amount": sum(moves.mapped("amount_residual_signed")),
                    "grace_days": policy.promise_grace_days,
                    "origin": "portal",
                    "user_id": False,
                }
            )
        )
        collector = self.partner_id._credit_dunning_collector(self.company_id)
        reader = user_env(self.env, collector)
        promise.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=reader._(
                "%(customer)s promised online to pay by %(date)s",
                customer=self.partner_id.name,
                date=format_date(reader, day),
            ),
            note=promise.display_name,
            user_id=collector.id or SUPERUSER_ID,
        )
        self._log("promised", promise.display_name)
        return promise

    def _portal_dispute(self, move_id, reason, message, attachment=None):
        """The customer disputes one invoice: out of the ladder, its message
        (and file) in the invoice's chatter, where the answers reach the
        customer's portal page of the invoice; a task for the collector and
        the salesperson."""
        self.ensure_one()
        reasons = dict(
            self.env["account.move"]
            ._fields["dunning_dispute_reason_code"]
            ._description_selection(self.env)
        )
        if reason not in reasons:
            raise UserError(self.env._("Choose the reason of your dispute."))
        message = (message or "").strip()
        if not message:
            raise UserError(
                self.env._("Tell us in a few words what is wrong with the invoice.")
            )
        move = self._customer_moves([move_id])
        if move.dunning_dispute:
            raise UserError(
                self.env._(
                    "Invoice %s is already disputed: follow the answers on its page.",
                    move.name,
                )
            )
        move._dunning_set_dispute(
            f"{reasons[reason]}: {message}", reason_code=reason, origin="portal"
        )
        attachments = [attachment] if attachment else []
        move.message_subscribe(partner_ids=self.partner_id.ids)
        move.message_post(
            body=message,
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=attachments,
        )
        collector = self.partner_id._credit_dunning_collector(self.company_id)
        salesperson = self.partner_id.user_id or move.invoice_user_id
        for user in (collector | salesperson).filtered("active"):
            reader = user_env(self.env, user)
            reason_label = dict(
                move._fields["dunning_dispute_reason_code"]._description_selection(
                    reader
                )
            )[reason]
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=reader._(
                    "%(customer)s disputes %(invoice)s: %(reason)s",
                    customer=self.partner_id.name,
                    invoice=move.name,
                    reason=reason_label,
                ),
                note=message,
                user_id=user.id,
            )
        self._log("disputed", f"{move.name}: {reasons[reason]}")
        return move

    def _plan_proposal(self, move_ids, count, first_date):
        """The even instalments the page proposes for ``move_ids``."""
        self.ensure_one()
        policy = self._policy()
        moves = self._customer_moves(move_ids)
        try:
            count = int(count)
        except (TypeError, ValueError):
            count = 0
        maximum = policy.portal_plan_max_instalments or 6
        if not 2 <= count <= maximum:
            raise UserError(
                self.env._("A payment plan has from 2 to %s instalments.", maximum)
            )
        today = fields.Date.context_today(self)
        first = self._parse_date(first_date) or today
        horizon = policy.portal_plan_max_days or 180
        step = max(1, min(30, (horizon - (first - today).days) // max(count - 1, 1)))
        amount = sum(moves.mapped("amount_residual_signed"))
        lines = self.env["credit.dunning.plan"]._even_instalments(
            amount, count, first, step, self.company_id.currency_id
        )
        return moves, amount, lines

    def _plan_decider(self):
        """Who decides a requested plan: only a credit manager may accept
        one. The customer's collector when they are a credit manager, else
        the company's first credit manager (the administrator last)."""
        self.ensure_one()
        managers = self.env["res.partner"]._credit_managers(self.company_id)
        collector = self.partner_id._credit_dunning_collector(self.company_id)
        if collector in managers:
            return collector
        return managers.filtered(lambda u: u.id != SUPERUSER_ID)[:1] or managers[:1]

    def _portal_request_plan(self, move_ids, lines, note=None):
        """The customer asks to pay ``move_ids`` in the instalments ``lines``
        ([{"date", "amount"}]): a requested plan, and a task to accept or
        refuse it for a credit manager (``_plan_decider``). The collector
        gets no task: their worklist lists the plan as awaiting a manager."""
        self.ensure_one()
        moves = self._customer_moves(move_ids)
        if (
            self.env["credit.dunning.plan"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "requested"),
                ],
                limit=1,
            )
        ):
            raise UserError(
                self.env._(
                    "Your previous request for a payment plan is being studied: "
                    "we will answer it shortly."
                )
            )
        values = []
        for line in lines or []:
            day = self._parse_date(line.get("date"))
            try:
                amount = float(line.get("amount"))
            except (TypeError, ValueError):
                amount = 0.0
            if not day:
                raise UserError(self.env._("Give a date for every instalment."))
            values.append(Command.create({"date": day, "amount": amount}))
        maximum = self._policy().portal_plan_max_instalments or 6
        if not 2 <= len(values) <= maximum:
            raise UserError(
                self.env._("A payment plan has from 2 to %s instalments.", maximum)
            )
        plan = (
            self.env["credit.dunning.plan"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "move_ids": [Command.set(moves.ids)],
                    "amount_total": sum(moves.mapped("amount_residual_signed")),
                    "line_ids": values,
                    "origin": "portal",
                    "note": note,
                }
            )
        )
        plan._check_lines(self._policy().portal_plan_max_days or 180)
        decider = self._plan_decider()
        plan.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=user_env(self.env, decider)._(
                "%(customer)s asks for a payment plan in %(count)s instalments",
                customer=self.partner_id.name,
                count=len(values),
            ),
            user_id=decider.id or SUPERUSER_ID,
        )
        staff = staff_env(self.env, self.company_id)
        self.partner_id._credit_log_note(
            staff._(
                "Payment plan requested online: %(count)s instalments, %(amount)s",
                count=len(values),
                amount=format_amount(
                    staff, plan.amount_total, self.company_id.currency_id
                ),
            )
        )
        self._log("plan", plan.name)
        return plan

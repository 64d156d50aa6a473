from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

from .chatter import staff_env, user_env


class CreditDunningPromise(models.Model):
    _name = "credit.dunning.promise"
    _description = "Payment Promise"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        "credit_dunning_promise_account_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id)]",
    )
    date = fields.Date(string="Promised Date", required=True, tracking=True)
    amount = fields.Monetary(string="Promised Amount", required=True, tracking=True)
    amount_due_at_promise = fields.Monetary(
        string="Amount Due When Promised", readonly=True
    )
    grace_days = fields.Integer(
        string="Grace Period (days)",
        default=3,
        required=True,
        help="Days after the promised date before the promise is broken.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancel", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    communication_id = fields.Many2one(
        "credit.dunning.communication", string="Reminder", readonly=True
    )
    note = fields.Text()
    origin = fields.Selection(
        [("collector", "Collector"), ("portal", "Customer Portal")],
        default="collector",
        required=True,
        readonly=True,
        help="Who recorded the promise: credit control, or the customer on its "
        "account page.",
    )
    plan_id = fields.Many2one(
        "credit.dunning.plan",
        string="Payment Plan",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    @api.depends("partner_id", "amount", "currency_id", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for promise in self:
            if not (promise.partner_id and promise.date):
                promise.display_name = self.env._("New Payment Promise")
                continue
            promise.display_name = self.env._(
                "%(customer)s: %(amount)s by %(date)s",
                customer=promise.partner_id.display_name,
                amount=format_amount(self.env, promise.amount, promise.currency_id),
                date=format_date(self.env, promise.date),
            )

    @api.constrains("amount", "grace_days")
    def _check_amount(self):
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(self.env._("A promised amount must be positive."))
            if promise.grace_days < 0:
                raise ValidationError(
                    self.env._("The grace period cannot be negative.")
                )

    @api.constrains("move_ids", "partner_id")
    def _check_moves(self):
        for promise in self:
            wrong = promise.move_ids.filtered(
                lambda m, p=promise: (
                    m.commercial_partner_id != p.partner_id.commercial_partner_id
                    or m.move_type != "out_invoice"
                    or m.state != "posted"
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A promise covers posted invoices of its customer only: %s",
                        ", ".join(wrong.mapped("display_name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # rights before the content
        today = fields.Date.context_today(self)
        past = [
            fields.Date.to_date(vals["date"])
            for vals in vals_list
            if vals.get("date") and fields.Date.to_date(vals["date"]) < today
        ]
        if past:
            raise ValidationError(
                self.env._(
                    "A payment promise is for a date to come: %s is past.",
                    format_date(self.env, min(past)),
                )
            )
        promises = super().create(vals_list)
        for promise in promises:
            promise.partner_id = promise.partner_id.commercial_partner_id
            promise.amount_due_at_promise = sum(
                promise.move_ids.mapped("amount_residual_signed")
            )
            body = self.env._(
                "Payment promise: %(amount)s by %(date)s for %(invoices)s",
                amount=format_amount(self.env, promise.amount, promise.currency_id),
                date=format_date(self.env, promise.date),
                invoices=", ".join(promise.move_ids.mapped("name")),
            )
            promise.partner_id._credit_log_note(body)
            promise.move_ids._message_log_batch(
                bodies=dict.fromkeys(promise.move_ids.ids, body)
            )
        return promises

    def action_cancel(self):
        self.filtered(lambda p: p.state == "open").write({"state": "cancel"})
        return True

    def _paid_amount(self):
        self.ensure_one()
        return self.amount_due_at_promise - sum(
            self.move_ids.mapped("amount_residual_signed")
        )

    def _is_kept(self):
        self.ensure_one()
        return self.currency_id.compare_amounts(
            self._paid_amount(), self.amount
        ) >= 0 or all(
            m.payment_state in ("paid", "in_payment", "reversed") for m in self.move_ids
        )

    def _check_kept(self):
        """Mark the open promises whose amount has been paid as kept."""
        kept = self.filtered(lambda p: p.state == "open" and p._is_kept())
        kept.write({"state": "kept"})
        for promise in kept:
            promise.partner_id._credit_log_note(
                self.env._(
                    "Payment promise of %s kept.", format_date(self.env, promise.date)
                )
            )
        kept.plan_id._update_from_promises()
        return kept

    @api.model
    def _check_due_promises(self, company, today):
        """Promises whose date plus grace has passed: kept or broken. A broken
        promise puts the customer on credit hold and cash-only at once."""
        promises = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("date", "<", today),
            ]
        )
        due = promises.filtered(
            lambda p: fields.Date.add(p.date, days=p.grace_days) < today
        )
        due -= due._check_kept()
        for promise in due:
            promise.state = "broken"
            partner = promise.partner_id
            staff = staff_env(self.env, company)
            reason = staff._(
                "payment promise of %(amount)s for %(date)s broken",
                amount=format_amount(staff, promise.amount, promise.currency_id),
                date=format_date(staff, promise.date),
            )
            partner._credit_set_flags(
                reason, origin="promise", credit_hold=True, cash_only=True
            )
            collector = partner._credit_dunning_collector(company)
            promise.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=user_env(self.env, collector)._(
                    "Broken payment promise: %s", partner.name
                ),
                note=reason,
                user_id=collector.id or self.env.uid,
            )
        due.plan_id._update_from_promises()
        return due

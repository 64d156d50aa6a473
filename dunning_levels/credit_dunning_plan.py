from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..credit_control.rights import check_credit_rights

STATES = [
    ("requested", "Requested"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
    ("broken", "Broken"),
    ("done", "Done"),
]


class CreditDunningPlan(models.Model):
    """Instalments a customer proposes for its overdue invoices; a credit
    manager accepts (the instalments become payment promises, which pause
    the ladder) or refuses it. A missed instalment is a broken promise:
    hold and cash-only, and the plan is broken."""

    _name = "credit.dunning.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        "credit_dunning_plan_account_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
    )
    amount_total = fields.Monetary(string="Amount", readonly=True)
    line_ids = fields.One2many(
        "credit.dunning.plan.line", "plan_id", string="Instalments", readonly=True
    )
    instalment_count = fields.Integer(
        string="Number of Instalments", compute="_compute_instalment_count"
    )
    promise_ids = fields.One2many(
        "credit.dunning.promise", "plan_id", string="Promises", readonly=True
    )
    state = fields.Selection(
        STATES, default="requested", required=True, readonly=True, tracking=True
    )
    origin = fields.Selection(
        [("collector", "Collector"), ("portal", "Customer Portal")],
        default="collector",
        required=True,
        readonly=True,
    )
    note = fields.Text(string="Customer's Message", readonly=True)
    decision_note = fields.Text(string="Answer to the Customer", tracking=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)

    @api.depends("partner_id", "create_date")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._(
                "Payment plan %(customer)s",
                customer=plan.partner_id.name or "",
            )

    @api.depends("line_ids")
    def _compute_instalment_count(self):
        for plan in self:
            plan.instalment_count = len(plan.line_ids)

    @api.model
    def _even_instalments(self, amount, count, first_date, step_days, currency):
        """``count`` instalments of ``amount`` (the last one takes the
        rounding), ``step_days`` apart from ``first_date``."""
        if count < 1:
            raise UserError(self.env._("A payment plan has at least one instalment."))
        share = currency.round(amount / count)
        lines = []
        for index in range(count):
            value = (
                share
                if index < count - 1
                else currency.round(amount - share * (count - 1))
            )
            lines.append(
                {
                    "date": fields.Date.add(first_date, days=step_days * index),
                    "amount": value,
                }
            )
        return lines

    def _check_lines(self, max_days):
        """The instalments cover the amount, are dated from today to the
        policy's horizon, in order."""
        today = fields.Date.context_today(self)
        limit = fields.Date.add(today, days=max_days)
        for plan in self:
            dates = plan.line_ids.mapped("date")
            if any(d < today or d > limit for d in dates):
                raise ValidationError(
                    self.env._(
                        "Instalments are due between today and %s.",
                        format_date(self.env, limit),
                    )
                )
            if any(line.amount <= 0 for line in plan.line_ids):
                raise ValidationError(self.env._("Every instalment is positive."))
            if plan.currency_id.compare_amounts(
                sum(plan.line_ids.mapped("amount")), plan.amount_total
            ):
                raise ValidationError(
                    self.env._(
                        "The instalments must add up to %s.",
                        format_amount(self.env, plan.amount_total, plan.currency_id),
                    )
                )

    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only credit managers can accept or refuse a payment plan."),
            manager=True,
        )

    def action_accept(self):
        """Each instalment becomes a payment promise (of the cumulated amount
        due by its date) for the plan's invoices: the ladder pauses."""
        self._check_manager()
        plans = self.filtered(lambda p: p.state == "requested")
        if plans != self:
            raise UserError(self.env._("Only a requested plan can be accepted."))
        for plan in plans:
            plan = plan.sudo()
            open_moves = plan.move_ids.filtered(
                lambda m: m.payment_state in ("not_paid", "partial")
            )
            if not open_moves:
                raise UserError(
                    self.env._("The invoices of this plan are already paid.")
                )
            policy = plan.partner_id._credit_dunning_policy(plan.company_id)
            cumulated = 0.0
            count = len(plan.line_ids)
            # a promise in the past is refused: instalments due today or later
            today = fields.Date.context_today(plan)
            for index, line in enumerate(plan.line_ids.sorted("date"), start=1):
                cumulated += line.amount
                line.promise_id = plan.env["credit.dunning.promise"].create(
                    {
                        "partner_id": plan.partner_id.id,
                        "company_id": plan.company_id.id,
                        "move_ids": [Command.set(open_moves.ids)],
                        "date": max(line.date, today),
                        "amount": cumulated,
                        "grace_days": policy.promise_grace_days,
                        "origin": plan.origin,
                        "plan_id": plan.id,
                        "user_id": self.env.uid,
                        "note": self.env._(
                            "Instalment %(index)s of %(count)s: %(amount)s",
                            index=index,
                            count=count,
                            amount=format_amount(
                                plan.env, line.amount, plan.currency_id
                            ),
                        ),
                    }
                )
            plan.write({"state": "accepted", "decided_by_id": self.env.uid})
            plan.activity_ids.action_feedback(feedback=self.env._("Accepted"))
            plan._tell_customer(
                self.env._(
                    "Your payment plan is accepted. %s", plan.decision_note or ""
                )
            )
        return True

    def action_refuse(self):
        self._check_manager()
        plans = self.filtered(lambda p: p.state == "requested")
        if plans != self:
            raise UserError(self.env._("Only a requested plan can be refused."))
        for plan in plans.sudo():
            plan.write({"state": "refused", "decided_by_id": self.env.uid})
            plan.activity_ids.action_feedback(feedback=self.env._("Refused"))
            plan._tell_customer(
                self.env._(
                    "We cannot accept your payment plan. %s", plan.decision_note or ""
                )
            )
        return True

    def _tell_customer(self, body):
        """A note on the customer (the collector sees it) and the decision
        in the chatter of the plan."""
        self.ensure_one()
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.partner_id._credit_log_note(f"{self.name}: {body}")

    def _update_from_promises(self):
        """Broken as soon as one instalment is; done when all are kept."""
        for plan in self.filtered(lambda p: p.state == "accepted"):
            states = set(plan.promise_ids.mapped("state"))
            if "broken" in states:
                plan.state = "broken"
                plan.message_post(
                    body=self.env._("An instalment was missed: the plan is broken."),
                    subtype_xmlid="mail.mt_note",
                )
            elif states and states <= {"kept", "cancel"}:
                plan.state = "done"

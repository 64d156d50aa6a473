import contextlib
import logging

from odoo import api, fields, http, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from . import rights

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_blocked = fields.Boolean(
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The last confirmation attempt was refused by credit control.",
    )
    credit_block_reason = fields.Text(copy=False, readonly=True)
    credit_check_message = fields.Text(
        string="Credit Check",
        compute="_compute_credit_check_message",
        help="Why the quotation cannot be confirmed now.",
    )
    credit_override_user_id = fields.Many2one(
        "res.users", string="Credit Approved By", copy=False, readonly=True
    )
    credit_override_date = fields.Datetime(
        string="Credit Approved On", copy=False, readonly=True
    )
    credit_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    credit_override_amount = fields.Monetary(
        string="Approved Amount",
        currency_field="credit_company_currency_id",
        copy=False,
        readonly=True,
    )
    credit_override_reason = fields.Text(
        string="Approval Reason", copy=False, readonly=True
    )

    @api.depends(
        "partner_id",
        "partner_invoice_id",
        "amount_total",
        "payment_term_id",
        "state",
        "credit_override_user_id",
        "credit_override_amount",
    )
    def _compute_credit_check_message(self):
        quotations = self.filtered(
            lambda o: o.state in ("draft", "sent") and o.partner_id
        )
        (self - quotations).credit_check_message = False
        problems = quotations.sudo()._credit_check_problems()
        for order in quotations:
            order.credit_check_message = "\n".join(problems.get(order.id, [])) or False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    CREDIT_CONTROL_FIELDS = (
        "credit_blocked",
        "credit_block_reason",
        "credit_override_user_id",
        "credit_override_date",
        "credit_override_amount",
        "credit_override_reason",
    )

    def write(self, vals):
        # an approval is given through _credit_approve only: nobody writes it
        # over RPC, whatever their rights on the order
        if not self.env.su and set(self.CREDIT_CONTROL_FIELDS) & vals.keys():
            raise AccessError(
                self.env._(
                    "The credit approval of an order is given by a credit manager "
                    "with “Approve Credit”."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------
    def action_confirm(self):
        self._credit_check_confirmation()
        result = super().action_confirm()
        self.filtered("credit_blocked").sudo().write(
            {"credit_blocked": False, "credit_block_reason": False}
        )
        return result

    def _credit_check_confirmation(self):
        """Raise a UserError naming the rule and the figures when one of the
        orders may not be confirmed. The refusal is recorded on the orders
        (badge, chatter, activities) once the transaction is rolled back."""
        problems = self.sudo()._credit_check_problems()
        if not problems:
            return
        blocked = self.browse(list(problems))
        self._credit_park_after_rollback(problems)
        lines = []
        for order in blocked:
            for problem in problems[order.id]:
                lines.append(
                    self.env._(
                        "%(order)s (%(customer)s): %(problem)s",
                        order=order.name,
                        customer=order.partner_id.commercial_partner_id.display_name,
                        problem=problem,
                    )
                )
        raise UserError(
            self.env._("Credit control refuses the confirmation:")
            + "\n"
            + "\n".join(lines)
            + "\n"
            + self.env._(
                "A credit manager may approve the order with “Approve Credit”."
            )
        )

    def _credit_check_problems(self):
        """{order id: [message, ...]} for the orders that credit control
        refuses. One exposure query whatever the number of invoices."""
        orders = self.filtered(lambda o: o.partner_id)
        if not orders:
            return {}
        result = {}
        for company, company_orders in orders.grouped("company_id").items():
            result.update(company_orders._credit_check_problems_company(company))
        return result

    def _credit_check_problems_company(self, company):
        Partner = self.env["res.partner"].with_company(company)
        commercial = self.partner_invoice_id.commercial_partner_id | (
            self.partner_id.commercial_partner_id
        )
        parts = Partner._credit_exposure_parts(commercial, company)
        pending = {}  # exposure added by earlier orders of the same batch
        result = {}
        for order in self:
            partner = (
                order.partner_invoice_id or order.partner_id
            ).commercial_partner_id
            partner = partner.with_company(company)
            problems = []
            amount = order.amount_total / (order.currency_rate or 1.0)
            if order._credit_override_covers(amount):
                continue
            if partner.credit_hold and not order._credit_hold_waived():
                problems.append(partner._credit_hold_problem())
            if (
                partner.cash_only
                and not order._credit_has_immediate_payment()
                and not order._credit_is_prepaid()
            ):
                problems.append(
                    self.env._(
                        "cash-only customer: payment terms must be immediate "
                        "(the order uses “%(term)s”)",
                        term=order.payment_term_id.display_name,
                    )
                )
            data = parts.get(partner.id, {})
            overdue = partner._credit_overdue_problem(data, company)
            if overdue:
                problems.append(overdue)
            limit = (
                partner.sudo().credit_limit if company.account_use_credit_limit else 0
            )
            exposure = (
                data.get("receivable", 0.0)
                + data.get("uninvoiced", 0.0)
                + data.get("draft", 0.0)
                + pending.get(partner.id, 0.0)
                + amount
            )
            over_limit = partner._credit_limit_problem(exposure, limit, company)
            if over_limit and not order._credit_is_prepaid():
                problems.append(over_limit)
            pending[partner.id] = pending.get(partner.id, 0.0) + amount
            if problems:
                result[order.id] = problems
        return result

    def _credit_hold_waived(self):
        """The order passes the customer's credit hold (the other rules
        still apply). Never in this addon; the webshop bridge lets a prepaid
        webshop order through when its company accepts them."""
        self.ensure_one()
        return False

    def _credit_is_prepaid(self):
        """Paid in full online: the order grants no credit, and meets the
        cash-only rule. Read only when a rule would refuse the order, so that
        the usual confirmation costs no query for its transactions."""
        self.ensure_one()
        return bool(self.amount_total) and (
            self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0
        )

    def _credit_has_immediate_payment(self):
        self.ensure_one()
        term = self.payment_term_id
        if not term:
            return True
        return all(
            line.nb_days == 0 and line.delay_type == "days_after"
            for line in term.line_ids
        )

    def _credit_override_covers(self, amount_company):
        self.ensure_one()
        return bool(
            self.credit_override_user_id
            and self.company_id.currency_id.compare_amounts(
                amount_company, self.credit_override_amount
            )
            <= 0
        )

    # ------------------------------------------------------------------
    # Parking a refused order
    # ------------------------------------------------------------------
    def _credit_park_after_rollback(self, problems):
        """The UserError rolls the transaction back; record the refusal in
        a new transaction once that is done, so that it is never lost nor
        holds a lock the failing transaction still has.

        The hook runs wherever the rollback happens: in a cron, in an RPC
        call, or when the web request closes its cursor, after it has set
        ``request.env`` to None. So it works as the cron does, in a new
        cursor, with the HTTP request out of sight (code such as sale's
        ``_discard_tracking`` reads ``request.env`` when a request is there)
        and with only the context keys that say who and where: no default
        values of the browser's action leak into the chatter or activities.
        """
        dbname = self.env.cr.dbname
        uid = self.env.uid
        context = {
            key: self.env.context[key]
            for key in ("lang", "tz", "allowed_company_ids")
            if key in self.env.context
        }
        problems = dict(problems)

        def park():
            from odoo.modules.registry import Registry  # noqa: PLC0415

            with contextlib.ExitStack() as stack:
                if http.request:
                    stack.enter_context(http.borrow_request())
                try:
                    with Registry(dbname).cursor() as cr:
                        env = api.Environment(cr, uid, context)
                        orders = env["sale.order"].browse(list(problems)).exists()
                        orders._credit_park(problems)
                except Exception:
                    _logger.exception(
                        "Could not record the credit refusal of %s", problems
                    )

        self.env.cr.postrollback.add(park)

    def _credit_park(self, problems):
        """Mark the orders as credit blocked, say why in the chatter, and
        give an activity to their salesperson and the credit managers."""
        activity_type = self.env.ref("credit_dunning.mail_activity_type_credit_blocked")
        managers = self.env["res.partner"]._credit_managers()
        for order in self.sudo():
            reason = "\n".join(problems.get(order.id, []))
            order.write({"credit_blocked": True, "credit_block_reason": reason})
            order.message_post(
                body=self.env._("Confirmation refused by credit control: %s", reason),
                subtype_xmlid="mail.mt_note",
            )
            open_users = order.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            ).user_id
            for user in (order.user_id | managers) - open_users:
                if user.company_ids and order.company_id not in user.company_ids:
                    continue
                order.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Order blocked by credit control"),
                    note=reason,
                    user_id=user.id,
                )

    # ------------------------------------------------------------------
    # Override
    # ------------------------------------------------------------------
    def action_credit_open_override(self):
        self.ensure_one()
        self._credit_check_approver()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Credit for %s", self.name),
            "res_model": "credit.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _credit_check_approver(self):
        """Raise an AccessError unless the current user is a credit manager.
        Called before anything is done as superuser on an approval."""
        if rights.has_credit_rights(self.env, manager=True):
            return
        raise AccessError(
            self.env._(
                "Only a credit manager can approve an order that credit "
                "control refuses. Ask one of them to review %s.",
                ", ".join(self._filtered_access("read").mapped("name"))
                or self.env._("the order"),
            )
        )

    def _credit_approve(self, reason):
        """Record a credit manager's approval of this order only: it may be
        confirmed up to its current total, and no longer waits in the
        credit blocked orders."""
        self.ensure_one()
        self._credit_check_approver()
        if not (reason or "").strip():
            raise UserError(self.env._("The approval needs a reason."))
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Only a quotation can be approved."))
        amount = self.amount_total / (self.currency_rate or 1.0)
        problems = self.sudo()._credit_check_problems().get(self.id, [])
        self.sudo().write(
            {
                "credit_blocked": False,
                "credit_override_user_id": self.env.uid,
                "credit_override_date": fields.Datetime.now(),
                "credit_override_amount": amount,
                "credit_override_reason": reason,
            }
        )
        # the approval closes the refusal's tasks: one note says it all, not
        # one "done" message per task
        activity_type = self.env.ref("credit_dunning.mail_activity_type_credit_blocked")
        tasks = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        closed = (
            " "
            + self.env._(
                "Tasks closed: %s.",
                ", ".join(sorted(set(tasks.user_id.mapped("name")))),
            )
            if tasks
            else ""
        )
        self.message_post(
            body=self.env._(
                "Credit approved by %(user)s for %(amount)s: %(reason)s%(problems)s",
                user=self.env.user.name,
                amount=format_amount(self.env, amount, self.company_id.currency_id),
                reason=reason,
                problems=(" (" + "; ".join(problems) + ")") if problems else "",
            )
            + closed,
            subtype_xmlid="mail.mt_note",
        )
        tasks.unlink()
        return True

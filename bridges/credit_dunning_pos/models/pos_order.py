import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)

ACTIVITY_TYPE = "credit_dunning.mail_activity_type_credit_blocked"


class PosOrder(models.Model):
    _name = "pos.order"
    _inherit = ["pos.order", "mail.activity.mixin"]

    credit_flagged = fields.Boolean(
        string="Flagged by Credit Control",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Sold on Customer Account to a customer that credit control "
        "refuses (on hold, cash-only or over the limit), without approval: the "
        "sale is kept and the credit managers have a task.",
    )
    credit_flag_reason = fields.Text(
        string="Why It Is Flagged", copy=False, readonly=True
    )
    credit_pos_approval_reason = fields.Text(
        string="Customer Account Approval Reason",
        copy=False,
        help="Given at the till by a Point of Sale manager who approved the "
        "Customer Account that credit control refused.",
    )
    credit_pos_approver_id = fields.Many2one(
        "res.users",
        string="Customer Account Approved By",
        copy=False,
        readonly=True,
    )
    credit_pos_approval_date = fields.Datetime(
        string="Customer Account Approved On", copy=False, readonly=True
    )

    # what the till may not set: the server decides
    CREDIT_SERVER_FIELDS = (
        "credit_flagged",
        "credit_flag_reason",
        "credit_pos_approver_id",
        "credit_pos_approval_date",
    )

    def _process_order(self, order, existing_order):
        for fname in self.CREDIT_SERVER_FIELDS:
            order.pop(fname, None)
        return super()._process_order(order, existing_order)

    def _process_saved_order(self, draft):
        problems = None
        if not draft:
            problems = self._credit_pos_sync_problems()
        result = super()._process_saved_order(draft)
        if problems:
            self._credit_pos_record(problems)
        return result

    def _create_order_picking(self):
        # the goods leave with the customer: the delivery made now is not
        # stopped by the customer's credit (see stock.picking._credit_checked)
        if self.shipping_date:
            return super()._create_order_picking()
        return super(
            PosOrder, self.with_context(credit_pos_order_id=self.id)
        )._create_order_picking()

    def _credit_pos_on_account(self):
        """The amount sold on Customer Account, in the order's currency."""
        self.ensure_one()
        return sum(
            p.amount
            for p in self.payment_ids
            if p.payment_method_id.type == "pay_later" and not p.is_change
        )

    def _credit_pos_sync_problems(self):
        """What credit control says of this order's Customer Account payment,
        as a list of messages. Never raises: an order reaching the server is
        never rejected for credit reasons."""
        self.ensure_one()
        amount = self._credit_pos_on_account()
        partner = self.partner_id.commercial_partner_id
        if amount <= 0 or not partner:
            return []
        try:
            with self.env.cr.savepoint():
                partner = partner.sudo().with_company(self.company_id)
                # the till sends the order as paid: it may be in the exposure
                # already (see res.partner._credit_exposure_extra_parts)
                counted = self.state == "paid" and not self.account_move
                return partner._credit_pos_problems(
                    amount,
                    self.currency_id,
                    self.company_id,
                    exclude_amount=(amount / (self.currency_rate or 1.0))
                    if counted
                    else 0.0,
                )["problems"]
        except Exception:
            _logger.exception("Credit check of the POS order %s failed", self.name)
            return [self.env._("the credit check failed: review the sale")]

    def _credit_pos_record(self, problems):
        """The order is saved whatever credit control says. Approved at the
        till by a manager of its Point of Sale with a reason: the approval is
        recorded. Otherwise the order is flagged, and the credit managers get
        a task."""
        self.ensure_one()
        order = self.sudo()
        reason = (self.credit_pos_approval_reason or "").strip()
        is_manager = self.env.su or (
            self.config_id.group_pos_manager_id in self.env.user.all_group_ids
        )
        detail = "; ".join(problems)
        if reason and is_manager:
            order.write(
                {
                    "credit_pos_approver_id": self.env.uid,
                    "credit_pos_approval_date": fields.Datetime.now(),
                }
            )
            order.message_post(
                body=self.env._(
                    "Customer Account approved at the till by %(user)s: "
                    "%(reason)s (%(problems)s)",
                    user=self.env.user.name,
                    reason=reason,
                    problems=detail,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        lines = list(problems)
        if reason:
            lines.append(
                self.env._(
                    "approval by %(user)s ignored: only a Point of Sale manager "
                    "may approve (%(reason)s)",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        flag_reason = "\n".join(lines)
        order.write({"credit_flagged": True, "credit_flag_reason": flag_reason})
        order.message_post(
            body=self.env._(
                "Sold on Customer Account although credit control refuses it: %s",
                "; ".join(lines),
            ),
            subtype_xmlid="mail.mt_note",
        )
        order._credit_pos_activities(flag_reason)

    def _credit_pos_activities(self, note):
        activity_type = self.env.ref(ACTIVITY_TYPE)
        model_id = self.env["ir.model"]._get_id("pos.order")
        activities = []
        for order in self:
            for user in self.env["res.partner"]._credit_managers(order.company_id):
                # created directly: the activity type is the orders' one, and
                # activity_schedule would warn about its model
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": order.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._(
                            "Customer Account sale flagged by credit control"
                        ),
                        "note": note,
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(order),
                    }
                )
        self.env["mail.activity"].sudo().create(activities)

    def _credit_pos_releases_delivery(self):
        """The deliveries of this order leave whatever the customer's credit:
        paid at the till (cash, card), or on Customer Account approved by a
        manager, or flagged (the sale happened at the counter; the flag and
        the credit managers' task are the trace)."""
        if not self:
            return False
        self.ensure_one()
        return bool(
            not self._credit_pos_on_account()
            or self.credit_pos_approver_id
            or self.credit_flagged
        )

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

from odoo.addons.credit_dunning.credit_control import rights

from ..after_rollback import call_after_rollback

ACTIVITY_TYPE = "credit_dunning.mail_activity_type_credit_blocked"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    credit_blocked = fields.Boolean(
        string="Waiting for Credit",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The customer is on credit hold, or cash-only and has not paid the "
        "order: the delivery may not be validated.",
    )
    credit_block_reason = fields.Text(string="Why It Waits", copy=False, readonly=True)
    credit_override_user_id = fields.Many2one(
        "res.users", string="Delivery Approved By", copy=False, readonly=True
    )
    credit_override_date = fields.Datetime(
        string="Delivery Approved On", copy=False, readonly=True
    )
    credit_override_reason = fields.Text(
        string="Delivery Approval Reason", copy=False, readonly=True
    )

    CREDIT_CONTROL_FIELDS = (
        "credit_blocked",
        "credit_block_reason",
        "credit_override_user_id",
        "credit_override_date",
        "credit_override_reason",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        # the waiting state follows the customer's credit, and an approval is
        # given through _credit_approve only: nobody writes them over RPC
        if not self.env.su and set(self.CREDIT_CONTROL_FIELDS) & vals.keys():
            raise AccessError(
                self.env._(
                    "A delivery waiting for credit is released by a payment or "
                    "by a credit manager with “Approve Delivery”."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def action_confirm(self):
        result = super().action_confirm()
        # a delivery made by hand for a customer whose credit stops it
        self._credit_wait_if_stopped()
        return result

    def button_validate(self):
        # before the backorder and immediate-transfer wizards: nothing to
        # answer for a delivery that will be refused anyway
        self._credit_check_delivery()
        return super().button_validate()

    def _action_done(self):
        # every way of validating ends here (batches, barcode, RPC)
        self._credit_check_delivery()
        return super()._action_done()

    def _credit_check_delivery(self):
        """Raise a UserError naming the rule and the figures when one of the
        deliveries may not leave. The refusal is recorded on the deliveries
        (ribbon, chatter, activities) once the transaction is rolled back."""
        problems = self.sudo()._credit_delivery_problems()
        if not problems:
            return
        blocked = self.browse(list(problems))
        call_after_rollback(blocked, "_credit_park", problems, True)
        lines = [
            self.env._(
                "%(delivery)s (%(customer)s): %(problem)s",
                delivery=picking.name,
                customer=picking.sudo()._credit_customer().display_name,
                problem="; ".join(problems[picking.id]),
            )
            for picking in blocked
        ]
        raise UserError(
            self.env._("Credit control refuses to validate the delivery:")
            + "\n"
            + "\n".join(lines)
            + "\n"
            + self.env._(
                "It leaves once the customer has paid, or when a credit manager "
                "approves it with “Approve Delivery”."
            )
        )

    def _credit_customer(self):
        """The commercial entity whose credit decides: the order's invoiced
        customer, else the delivery's."""
        self.ensure_one()
        order = self.sale_id
        return (
            order.partner_invoice_id or order.partner_id or self.partner_id
        ).commercial_partner_id

    def _credit_checked(self):
        """The deliveries credit control looks at: outgoing, not done nor
        cancelled, not a return, not approved by a credit manager."""
        return self.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.state not in ("done", "cancel")
                and not p.return_id
                and not p.credit_override_user_id
                and (p.partner_id or p.sale_id)
            )
        )

    def _credit_delivery_problems(self):
        """{picking id: [message, ...]} for the deliveries credit control
        stops. One exposure query per company, and only for customers on
        hold."""
        pickings = self._credit_checked()
        if not pickings:
            return {}
        customers = {p: p._credit_customer() for p in pickings}
        held = self.env["res.partner"].union(
            *(c for c in customers.values() if c.credit_hold)
        )
        overdue = {}
        for company in pickings.company_id if held else ():
            parts = held._credit_exposure_parts(held, company)
            overdue[company] = {
                pid: data.get("overdue", 0.0) for pid, data in parts.items()
            }
        result = {}
        for picking in pickings:
            customer = customers[picking]
            order = picking.sale_id
            problems = []
            if customer.credit_hold and not picking._credit_order_approved_since_hold(
                customer
            ):
                currency = picking.company_id.currency_id
                problems.append(
                    self.env._(
                        "customer on credit hold since %(date)s: %(reason)s "
                        "(overdue %(overdue)s)",
                        date=format_date(self.env, customer.credit_hold_date) or "-",
                        reason=customer.credit_hold_reason or "-",
                        overdue=format_amount(
                            self.env,
                            overdue[picking.company_id].get(customer.id, 0.0),
                            currency,
                        ),
                    )
                )
            if customer.cash_only and not order:
                problems.append(
                    self.env._(
                        "cash-only customer: a delivery without a sales order "
                        "waits for a credit manager's approval"
                    )
                )
            elif customer.cash_only and not order._credit_delivery_paid():
                paid = order._credit_delivery_paid_amount()
                problems.append(
                    self.env._(
                        "cash-only customer: %(order)s is not paid "
                        "(%(paid)s paid of %(total)s)",
                        order=order.name,
                        paid=format_amount(self.env, paid, order.currency_id),
                        total=format_amount(
                            self.env, order.amount_total, order.currency_id
                        ),
                    )
                )
            if problems:
                result[picking.id] = problems
        return result

    def _credit_order_approved_since_hold(self, customer):
        """A credit manager approved the order after the hold was set: its
        deliveries go, the approval having weighed the hold."""
        approved = self.sale_id.credit_override_date
        return bool(
            approved
            and customer.credit_hold_date
            and fields.Date.to_date(approved) >= customer.credit_hold_date
        )

    # ------------------------------------------------------------------
    # Waiting and released
    # ------------------------------------------------------------------
    def _credit_park(self, problems, refused=False):
        """Mark the deliveries as waiting for credit and say why. After a
        refused validation (``refused``), say it in the chatter and give an
        activity to the salesperson and the credit managers."""
        pickings = self.sudo()
        for picking in pickings:
            picking.write(
                {
                    "credit_blocked": True,
                    "credit_block_reason": "\n".join(problems.get(picking.id, [])),
                }
            )
        if not refused:
            return
        activity_type = self.env.ref(ACTIVITY_TYPE)
        managers = self.env["res.partner"]._credit_managers()
        model_id = self.env["ir.model"]._get_id("stock.picking")
        activities = []
        for picking in pickings:
            reason = picking.credit_block_reason
            picking.message_post(
                body=self.env._("Validation refused by credit control: %s", reason),
                subtype_xmlid="mail.mt_note",
            )
            open_users = picking.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            ).user_id
            salesperson = picking.sale_id.user_id or picking.partner_id.user_id
            for user in (salesperson | managers) - open_users:
                if user.company_ids and picking.company_id not in user.company_ids:
                    continue
                # created directly: the activity type is the orders' one, and
                # activity_schedule would warn about its model
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": picking.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._("Delivery waiting for credit"),
                        "note": reason,
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(picking),
                    }
                )
        self.env["mail.activity"].sudo().create(activities)

    def _credit_release(self, note):
        """The deliveries may leave: no longer waiting, their open credit
        activities done with ``note``, and ``note`` in their chatter."""
        pickings = self.sudo().filtered("credit_blocked")
        if not pickings:
            return
        pickings.write({"credit_blocked": False, "credit_block_reason": False})
        for picking in pickings:
            picking.message_post(body=note, subtype_xmlid="mail.mt_note")
        pickings._credit_done_activities(note)

    def _credit_done_activities(self, note):
        activity_type = self.env.ref(ACTIVITY_TYPE)
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).action_feedback(feedback=note)

    def _credit_wait_if_stopped(self):
        """Mark the deliveries credit control stops as waiting (ribbon, list),
        without a word to anyone: nobody has tried to validate them yet."""
        problems = self.sudo()._credit_delivery_problems()
        if problems:
            self.browse(list(problems)).sudo()._credit_park(problems)

    def _credit_update_waiting(self):
        """Follow the customers' credit: deliveries credit control now stops
        wait (ribbon, list), those it lets go again are released."""
        problems = self.sudo()._credit_delivery_problems()
        waiting = self.filtered(lambda p: p.id in problems)
        waiting.sudo()._credit_park(problems)
        self.filtered(lambda p: p.id not in problems)._credit_release(
            self.env._("Released: the customer's credit no longer stops the delivery.")
        )

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    def action_credit_open_approve(self):
        self.ensure_one()
        self._credit_check_approver()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Delivery %s", self.name),
            "res_model": "credit.delivery.approve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def _credit_check_approver(self):
        if rights.has_credit_rights(self.env, manager=True):
            return
        raise AccessError(
            self.env._(
                "Only a credit manager can approve a delivery that waits for "
                "credit. Ask one of them to review %s.",
                ", ".join(self._filtered_access("read").mapped("name"))
                or self.env._("the delivery"),
            )
        )

    def _credit_approve(self, reason):
        """A credit manager lets this delivery leave, whatever the customer's
        credit; its backorders, and the customer's other deliveries, still
        wait."""
        self.ensure_one()
        self._credit_check_approver()
        if not (reason or "").strip():
            raise UserError(self.env._("The approval needs a reason."))
        if self.state in ("done", "cancel"):
            raise UserError(
                self.env._("%s is done or cancelled: nothing to approve.", self.name)
            )
        problems = self.sudo()._credit_delivery_problems().get(self.id, [])
        self.sudo().write(
            {
                "credit_blocked": False,
                "credit_block_reason": False,
                "credit_override_user_id": self.env.uid,
                "credit_override_date": fields.Datetime.now(),
                "credit_override_reason": reason,
            }
        )
        note = self.env._(
            "Delivery approved by %(user)s: %(reason)s%(problems)s",
            user=self.env.user.name,
            reason=reason,
            problems=(" (" + "; ".join(problems) + ")") if problems else "",
        )
        self.sudo().message_post(body=note, subtype_xmlid="mail.mt_note")
        self._credit_done_activities(note)
        return True

    # ------------------------------------------------------------------
    # Used by res.partner when a customer's credit changes
    # ------------------------------------------------------------------
    def _credit_open_deliveries(self, partners, waiting_only=False):
        """Open outgoing deliveries for the commercial entities ``partners``
        (delivered to them, or for their orders)."""
        domain = (
            Domain("picking_type_code", "=", "outgoing")
            & Domain("state", "not in", ("done", "cancel"))
            & Domain("return_id", "=", False)
            & (
                Domain("partner_id.commercial_partner_id", "in", partners.ids)
                | Domain(
                    "sale_id.partner_invoice_id.commercial_partner_id",
                    "in",
                    partners.ids,
                )
            )
        )
        if waiting_only:
            domain &= Domain("credit_blocked", "=", True)
        return self.sudo().search(domain)

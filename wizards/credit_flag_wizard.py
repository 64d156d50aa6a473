from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..credit_control import rights

# what each change needs: the credit manager group for hold and cash-only, a
# credit control user for the dunning settings (res.partner's protected fields)
MANAGER_FLAGS = ("credit_hold", "cash_only")
REASON_FLAGS = ("credit_hold", "cash_only", "dunning_excluded")


class CreditFlagWizard(models.TransientModel):
    """One dialog per change: put on hold, lift the hold, set cash-only,
    lift cash-only; from the customers and invoices lists, for all the
    selected customers at once, also exclude from dunning, assign a collector
    or a dunning policy. What it does is fixed by the button or the action
    that opened it."""

    _name = "credit.flag.wizard"
    _description = "Credit Hold / Cash-Only Change"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        readonly=True,
        help="The selected customers (the companies of the selected contacts and "
        "invoices).",
    )
    flag = fields.Selection(
        [
            ("credit_hold", "Credit Hold"),
            ("cash_only", "Cash Only"),
            ("dunning_excluded", "Do Not Dun"),
            ("collector", "Collector"),
            ("policy", "Dunning Policy"),
        ],
        required=True,
        readonly=True,
    )
    value = fields.Boolean(readonly=True)
    description = fields.Text(compute="_compute_description")
    reason = fields.Char(
        help="Kept on the customer and in its chatter, with your name."
    )
    collector_id = fields.Many2one(
        "res.users",
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref("credit_dunning.group_credit_control_user").ids,
            ),
            ("share", "=", False),
        ],
    )
    policy_id = fields.Many2one("credit.dunning.policy", string="Dunning Policy")

    # ------------------------------------------------------------------
    # Defaults: the customers selected in a list
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        context = self.env.context
        result = super().default_get(fields_list)
        model, ids = context.get("active_model"), context.get("active_ids")
        if (
            "partner_ids" in fields_list
            and "partner_ids" not in result
            and not result.get("partner_id")
            and ids
            and model in ("res.partner", "account.move")
        ):
            # rights first, before reading what was selected
            self._credit_check_rights(context.get("default_flag"))
            records = self.env[model].browse(ids)
            records.check_access("read")
            if model == "account.move":
                # the customers of the invoices and credit notes, not vendors
                records = records.filtered(
                    lambda m: m.is_sale_document(include_receipts=True)
                )
            result["partner_ids"] = [
                fields.Command.set(records.commercial_partner_id.ids)
            ]
        return result

    @api.depends("partner_id", "partner_ids", "flag", "value")
    def _compute_description(self):
        for wizard in self:
            if wizard.partner_ids:
                wizard.description = wizard._bulk_description()
                continue
            partner = wizard.partner_id
            customer = partner.display_name or ""
            if wizard.flag == "credit_hold" and wizard.value:
                text = self.env._(
                    "%s goes on credit hold: none of its new orders can be "
                    "confirmed until the hold is lifted.",
                    customer,
                )
            elif wizard.flag == "credit_hold":
                text = self.env._(
                    "The credit hold of %(customer)s is lifted: its orders can be "
                    "confirmed again, within its credit limit. On hold since "
                    "%(date)s: %(reason)s",
                    customer=customer,
                    date=format_date(self.env, partner.credit_hold_date) or "-",
                    reason=partner.credit_hold_reason or "-",
                )
            elif wizard.flag == "cash_only" and wizard.value:
                text = self.env._(
                    "%s becomes cash-only: its orders need an immediate payment "
                    "term, no more credit.",
                    customer,
                )
            elif wizard.flag == "cash_only":
                text = self.env._(
                    "%(customer)s is no longer cash-only: its orders may use "
                    "payment terms again. Cash-only because: %(reason)s",
                    customer=customer,
                    reason=partner.cash_only_reason or "-",
                )
            else:
                text = False
            wizard.description = text

    def _bulk_description(self):
        count = len(self.partner_ids)
        texts = {
            ("credit_hold", True): self.env._(
                "%s customer(s) go on credit hold: none of their new orders can be "
                "confirmed until the hold is lifted. One reason for all.",
                count,
            ),
            ("credit_hold", False): self.env._(
                "The credit hold of %s customer(s) is lifted: their orders can be "
                "confirmed again, within their credit limit.",
                count,
            ),
            ("cash_only", True): self.env._(
                "%s customer(s) become cash-only: their orders need an immediate "
                "payment term, no more credit. One reason for all.",
                count,
            ),
            ("cash_only", False): self.env._(
                "%s customer(s) are no longer cash-only: their orders may use "
                "payment terms again.",
                count,
            ),
            ("dunning_excluded", True): self.env._(
                "The dunning ladder no longer reminds %s customer(s). One reason "
                "for all.",
                count,
            ),
            ("dunning_excluded", False): self.env._(
                "%s customer(s) are back in the dunning ladder.", count
            ),
            ("collector", True): self.env._(
                "The collector you choose is put in charge of %s customer(s) in "
                "this company: they receive the call tasks.",
                count,
            ),
            ("policy", True): self.env._(
                "%s customer(s) follow the dunning policy you choose in this "
                "company (empty: the company's default policy).",
                count,
            ),
        }
        return texts.get((self.flag, self.value), False)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # rights first: a salesperson or a portal user gets an AccessError
        # before any record exists
        for vals in vals_list:
            self._credit_check_rights(
                vals.get("flag") or self.env.context.get("default_flag")
            )
        return super().create(vals_list)

    @api.model
    def _credit_check_rights(self, flag):
        if flag in MANAGER_FLAGS or not flag:
            rights.check_credit_rights(
                self.env,
                self.env._(
                    "Only a credit manager can put a customer on hold or "
                    "cash-only, or lift it."
                ),
                manager=True,
            )
        else:
            rights.check_credit_rights(
                self.env,
                self.env._(
                    "Only credit control users can change the dunning settings "
                    "of customers."
                ),
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_apply(self):
        self.ensure_one()
        self._credit_check_rights(self.flag)
        if self.flag in REASON_FLAGS and self.value and not (self.reason or "").strip():
            raise UserError(self.env._("Give a reason for the change."))
        if self.partner_ids:
            self._apply_bulk()
            return {"type": "ir.actions.act_window_close"}
        partner = self.partner_id.commercial_partner_id
        if not partner:
            raise UserError(self.env._("Select the customers to change."))
        if self.flag not in MANAGER_FLAGS:
            self.partner_ids = partner
            self._apply_bulk()
            return {"type": "ir.actions.act_window_close"}
        if partner[self.flag] == self.value:
            # the form was opened before someone else made the same change
            raise UserError(
                self.env._(
                    "%(customer)s is already %(state)s: nothing to change.",
                    customer=partner.display_name,
                    state={
                        ("credit_hold", True): self.env._("on credit hold"),
                        ("credit_hold", False): self.env._("off credit hold"),
                        ("cash_only", True): self.env._("cash-only"),
                        ("cash_only", False): self.env._("not cash-only"),
                    }[self.flag, self.value],
                )
            )
        partner._credit_set_flags(
            self.reason, origin="manual", **{self.flag: self.value}
        )
        return {"type": "ir.actions.act_window_close"}

    def _apply_bulk(self):
        """The change for every selected customer, one reason for all; those
        already as asked are left as they are. Returns the customers that
        changed."""
        partners = self.partner_ids.commercial_partner_id
        if self.flag in MANAGER_FLAGS:
            reason = self.reason
            if not self.value and not (reason or "").strip():
                reason = self.env._("lifted for the selected customers")
            return partners._credit_set_flags(
                reason, origin="manual", **{self.flag: self.value}
            )
        if self.flag == "dunning_excluded":
            changing = partners.filtered(lambda p: p.dunning_excluded != self.value)
            changing.write(
                {
                    "dunning_excluded": self.value,
                    "dunning_excluded_reason": self.reason if self.value else False,
                }
            )
            return changing
        fname, value = {
            "collector": ("credit_collector_id", self.collector_id),
            "policy": ("credit_dunning_policy_id", self.policy_id),
        }[self.flag]
        changing = partners._credit_field_changes(fname, value)
        changing.write({fname: value.id})
        return changing

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class CreditFlagWizard(models.TransientModel):
    """One dialog per change: put on hold, lift the hold, set cash-only,
    lift cash-only. What it does is fixed by the button that opened it."""

    _name = "credit.flag.wizard"
    _description = "Credit Hold / Cash-Only Change"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    flag = fields.Selection(
        [("credit_hold", "Credit Hold"), ("cash_only", "Cash Only")],
        required=True,
        readonly=True,
    )
    value = fields.Boolean(readonly=True)
    description = fields.Text(compute="_compute_description")
    reason = fields.Char(
        required=True, help="Kept on the customer and in its chatter, with your name."
    )

    @api.depends("partner_id", "flag", "value")
    def _compute_description(self):
        for wizard in self:
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

    def action_apply(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
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

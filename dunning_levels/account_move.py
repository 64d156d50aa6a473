from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..credit_control.rights import MANAGER, USER, has_credit_rights

DISPUTE_REASONS = [
    ("not_received", "Goods or service not received"),
    ("not_conform", "Goods or service not as ordered"),
    ("price", "Wrong price, quantity or discount"),
    ("already_paid", "Already paid"),
    ("credit_note", "Credit note expected"),
    ("other", "Other"),
]
ORIGINS = [("collector", "Collector"), ("portal", "Customer Portal")]


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "credit.dunning.level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Highest dunning level this invoice has reached.",
    )
    dunning_last_date = fields.Date(string="Last Reminder", copy=False, readonly=True)
    dunning_line_ids = fields.One2many(
        "credit.dunning.communication.line", "move_id", string="Dunning History"
    )
    dunning_dispute = fields.Boolean(
        string="Disputed", copy=False, readonly=True, tracking=True
    )
    dunning_dispute_reason = fields.Char(
        string="Dispute Reason", copy=False, readonly=True
    )
    dunning_dispute_reason_code = fields.Selection(
        DISPUTE_REASONS, string="Dispute Category", copy=False, readonly=True
    )
    dunning_dispute_origin = fields.Selection(
        ORIGINS,
        string="Disputed From",
        copy=False,
        readonly=True,
        help="Who raised the dispute: the customer on its account page, or "
        "credit control.",
    )
    dunning_promise_ids = fields.Many2many(
        "credit.dunning.promise",
        "credit_dunning_promise_account_move_rel",
        "move_id",
        "promise_id",
        string="Payment Promises",
        copy=False,
        readonly=True,
    )

    @api.model
    def _credit_control_fields(self):
        """Fields written by credit control only (the run, the dispute and
        penalty actions): whoever may edit an invoice may not take it out
        of the ladder. Extended by the late-payment side."""
        return {
            "dunning_level_id",
            "dunning_last_date",
            "dunning_dispute",
            "dunning_dispute_reason",
            "dunning_dispute_reason_code",
            "dunning_dispute_origin",
            "dunning_promise_ids",
        }

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            self._credit_control_fields() & {k for k, v in vals.items() if v}
            for vals in vals_list
        ):
            self._credit_check_user()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._credit_control_fields() & vals.keys():
            self._credit_check_user()
        return super().write(vals)

    def _credit_check_user(self, manager=False):
        """AccessError unless the user is a credit control user (manager)."""
        if has_credit_rights(self.env, manager=manager):
            return
        group = MANAGER if manager else USER
        raise AccessError(
            self.env._(
                "Only %(group)s may change the dunning of invoices (level, "
                "dispute, penalties).",
                group=self.env.ref(group).full_name,
            )
        )

    def action_dunning_dispute(self):
        self._credit_check_user()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "credit.dunning.dispute.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _dunning_set_dispute(self, reason, reason_code=None, origin="collector"):
        self._credit_check_user()
        if not (reason or "").strip():
            raise UserError(self.env._("A dispute needs a reason."))
        wrong = self.filtered(
            lambda m: m.move_type != "out_invoice" or m.state != "posted"
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only posted customer invoices can be disputed: %s",
                    ", ".join(wrong.mapped("display_name")),
                )
            )
        self.write(
            {
                "dunning_dispute": True,
                "dunning_dispute_reason": reason,
                "dunning_dispute_reason_code": reason_code or "other",
                "dunning_dispute_origin": origin,
            }
        )
        for move in self:
            move.message_post(
                body=self.env._("Disputed, out of the dunning ladder: %s", reason),
                subtype_xmlid="mail.mt_note",
            )

    def action_dunning_resolve_dispute(self):
        self._credit_check_user()
        disputed = self.filtered("dunning_dispute")
        disputed.write(
            {
                "dunning_dispute": False,
                "dunning_dispute_reason": False,
                "dunning_dispute_reason_code": False,
                "dunning_dispute_origin": False,
            }
        )
        for move in disputed:
            move.message_post(
                body=self.env._(
                    "Dispute resolved: the invoice is back in the dunning ladder."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

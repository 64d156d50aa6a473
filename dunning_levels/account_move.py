from odoo import fields, models
from odoo.exceptions import UserError


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
    dunning_promise_ids = fields.Many2many(
        "credit.dunning.promise",
        "credit_dunning_promise_account_move_rel",
        "move_id",
        "promise_id",
        string="Payment Promises",
        copy=False,
        readonly=True,
    )

    def action_dunning_dispute(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "credit.dunning.dispute.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _dunning_set_dispute(self, reason):
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
        self.write({"dunning_dispute": True, "dunning_dispute_reason": reason})
        for move in self:
            move.message_post(
                body=self.env._("Disputed, out of the dunning ladder: %s", reason),
                subtype_xmlid="mail.mt_note",
            )

    def action_dunning_resolve_dispute(self):
        disputed = self.filtered("dunning_dispute")
        disputed.write({"dunning_dispute": False, "dunning_dispute_reason": False})
        for move in disputed:
            move.message_post(
                body=self.env._(
                    "Dispute resolved: the invoice is back in the dunning ladder."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    credit_penalty_source_move_id = fields.Many2one(
        "account.move",
        string="Late Invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The late invoice whose penalties this line charges.",
    )
    credit_penalty_level_id = fields.Many2one(
        "credit.dunning.level", copy=False, readonly=True
    )
    credit_penalty_kind = fields.Selection(
        [("interest", "Late-payment interest"), ("indemnity", "Recovery indemnity")],
        copy=False,
        readonly=True,
    )

    # Penalties are charged once per late invoice, level and kind.
    _credit_penalty_unique = models.UniqueIndex(
        "(credit_penalty_source_move_id, credit_penalty_level_id, credit_penalty_kind)"
        " WHERE credit_penalty_source_move_id IS NOT NULL"
    )

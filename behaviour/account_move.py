from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_dispute_date = fields.Date(
        string="Disputed On",
        copy=False,
        readonly=True,
        help="The day the invoice's last dispute was raised. It stays once the "
        "dispute is resolved: the customer's payment behaviour counts the "
        "disputes raised in its window.",
    )

    def _auto_init(self):
        new = not column_exists(self.env.cr, "account_move", "dunning_dispute_date")
        result = super()._auto_init()
        if new:
            self._dunning_dispute_date_from_tracking()
        return result

    @api.model
    def _dunning_dispute_date_from_tracking(self):
        """The day of each invoice's last dispute, from its chatter's tracking,
        where it is not recorded yet (a database that had disputes before the
        day was recorded)."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET dunning_dispute_date = d.day
                  FROM (SELECT msg.res_id, MAX(msg.date)::date AS day
                          FROM mail_message msg
                          JOIN mail_tracking_value t ON t.mail_message_id = msg.id
                          JOIN ir_model_fields f ON f.id = t.field_id
                         WHERE msg.model = 'account.move'
                           AND f.model = 'account.move'
                           AND f.name = 'dunning_dispute'
                           AND t.new_value_integer = 1
                         GROUP BY msg.res_id) d
                 WHERE d.res_id = m.id
                   AND m.dunning_dispute_date IS NULL
                """
            )
        )
        self.invalidate_model(["dunning_dispute_date"])

    @api.model
    def _credit_control_fields(self):
        return super()._credit_control_fields() | {"dunning_dispute_date"}

    def write(self, vals):
        """A dispute raised (not disputed before) is dated today, whoever
        raises it and whatever the chatter's tracking."""
        raised = (
            self.filtered(lambda m: not m.dunning_dispute)
            if vals.get("dunning_dispute") and "dunning_dispute_date" not in vals
            else self.browse()
        )
        result = super().write(vals)
        if raised:
            super(AccountMove, raised).write(
                {"dunning_dispute_date": fields.Date.context_today(self)}
            )
        return result

from odoo import fields, models


class CreditDunningCommunicationLine(models.Model):
    _name = "credit.dunning.communication.line"
    _description = "Dunning Communication Line"
    _order = "communication_id, date_maturity, id"
    # Written only by the run, in one INSERT per batch, and never changed: no
    # create/write user and date columns (two foreign keys checked per row),
    # the reminder says who and when. Company, customer and currency are read
    # through the reminder and the invoice for the same reason: at 10,000
    # invoices the foreign-key checks were 80 % of the cost of these INSERTs.
    _log_access = False

    communication_id = fields.Many2one(
        "credit.dunning.communication",
        string="Reminder",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="communication_id.company_id")
    partner_id = fields.Many2one(related="communication_id.partner_id")
    move_id = fields.Many2one(
        "account.move", required=True, ondelete="cascade", index=True
    )
    level_id = fields.Many2one(
        "credit.dunning.level",
        ondelete="restrict",
        help="The level this invoice reached with this reminder; empty for the "
        "invoices and credit notes only listed.",
    )
    date_maturity = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    amount_residual = fields.Float(
        string="Amount Due", help="Amount due in company currency when reminded."
    )
    amount_residual_currency = fields.Float(
        string="Amount Due (Invoice Currency)",
        help="Amount due in the invoice currency when reminded.",
    )
    currency_id = fields.Many2one(
        related="move_id.currency_id", string="Invoice Currency"
    )

    # Each (invoice, level) acts once, ever, whatever runs at the same time:
    # the run claims its lines with INSERT ... ON CONFLICT DO NOTHING.
    _move_level_unique = models.UniqueIndex(
        "(move_id, level_id) WHERE level_id IS NOT NULL"
    )

from odoo import fields, models

from .credit_dunning_access import EVENT_KINDS


class CreditDunningAccessEvent(models.Model):
    """What the customer did through its account page link."""

    _name = "credit.dunning.access.event"
    _description = "Customer Account Page Visit"
    _order = "date desc, id desc"

    access_id = fields.Many2one(
        "credit.dunning.access", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="access_id.partner_id", store=True)
    company_id = fields.Many2one(related="access_id.company_id", store=True)
    kind = fields.Selection(EVENT_KINDS, string="Action", required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    detail = fields.Char()

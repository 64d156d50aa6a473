from odoo import fields, models


class CreditDunningPlanLine(models.Model):
    _name = "credit.dunning.plan.line"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        "credit.dunning.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(string="Due Date", required=True)
    amount = fields.Monetary(required=True)
    promise_id = fields.Many2one(
        "credit.dunning.promise", readonly=True, ondelete="set null"
    )
    promise_state = fields.Selection(related="promise_id.state", string="Status")

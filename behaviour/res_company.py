from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_behaviour_window_months = fields.Integer(
        string="Payment Behaviour Window (months)",
        default=12,
        help="The months of payments the behaviour figures and the segments "
        "are computed on.",
    )
    credit_segment_min_paid = fields.Integer(
        string="Paid Invoices to Judge",
        default=3,
        help="A customer with fewer invoices paid in the window stays New.",
    )
    credit_segment_late_days = fields.Float(
        string="Late Beyond (days)",
        default=10.0,
        help="Late: the average days late, weighted by amount, exceed this.",
    )
    credit_segment_variable_days = fields.Float(
        string="Variable Beyond (days)",
        default=15.0,
        help="Variable (checked before Late): the standard deviation of the "
        "days late exceeds this, and half their average.",
    )

    _credit_behaviour_window_positive = models.Constraint(
        "CHECK(credit_behaviour_window_months BETWEEN 1 AND 120)",
        "The payment behaviour window is between 1 and 120 months.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["credit.segment"]._create_for_companies(companies)
        return companies

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_retention_of_title = fields.Boolean(
        string="Retention of Title",
        help="The company's terms of sale keep the ownership of the goods until "
        "they are paid: when a customer goes under, the goods are claimed "
        "within three months of the publication.",
    )
    credit_bodacc_fetch = fields.Boolean(
        string="Watch the BODACC",
        help="Every day, fetch the BODACC's collective-proceedings notices of "
        "the customers' SIRENs from the public API.",
    )
    credit_bodacc_last_fetch = fields.Date(string="Last BODACC Fetch", readonly=True)

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _credit_over_limit_entities(self):
        """The customers (commercial entities, not their contacts) over their
        credit limit in the current company, by name."""
        over = self.search([("credit_over_limit", "=", True)], order="name, id")
        return over.filtered(lambda partner: partner.commercial_partner_id == partner)

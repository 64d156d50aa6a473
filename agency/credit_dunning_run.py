from odoo import api, models
from odoo.tools import SQL


class CreditDunningRun(models.Model):
    _inherit = "credit.dunning.run"

    @api.model
    def _listed_items_condition(self):
        """A reminder does not list the invoices the agency collects."""
        return SQL(
            """%(super)s
               AND NOT EXISTS (
                   SELECT 1 FROM credit_agency_placement_move_rel pm
                    WHERE pm.move_id = m.id
               )""",
            super=super()._listed_items_condition(),
        )

    @api.model
    def _plan_extra_condition(self, company):
        """Invoices placed with a collection agency leave the ladder for good
        (the agency collects them); a customer placed as a whole leaves it
        while the agency works on its file."""
        self.env["credit.agency.placement"].flush_model(
            ["partner_id", "company_id", "whole_account", "state", "move_ids"]
        )
        return SQL(
            """%(super)s
               AND NOT EXISTS (
                   SELECT 1 FROM credit_agency_placement_move_rel pm
                    WHERE pm.move_id = m.id
               )
               AND NOT EXISTS (
                   SELECT 1 FROM credit_agency_placement pl
                    WHERE pl.partner_id = p.id
                      AND pl.company_id = %(company)s
                      AND pl.whole_account
                      AND pl.state IN ('in_progress', 'partial')
               )""",
            super=super()._plan_extra_condition(company),
            company=company.id,
        )

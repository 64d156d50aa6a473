from odoo import api, models
from odoo.tools import SQL


class CreditDunningRun(models.Model):
    _inherit = "credit.dunning.run"

    @api.model
    def _plan_extra_condition(self, company):
        """The invoices dated before a customer's opening judgment are claims
        in its proceedings: individual collection is suspended (Code de
        commerce L.622-21). Later invoices follow the ladder."""
        self.env["credit.insolvency.proceeding"].flush_model(
            ["partner_id", "company_id", "judgment_date"]
        )
        return SQL(
            """%(super)s
               AND NOT EXISTS (
                   SELECT 1 FROM credit_insolvency_proceeding ip
                    WHERE ip.partner_id = p.id
                      AND ip.company_id = %(company)s
                      AND m.invoice_date < ip.judgment_date
               )""",
            super=super()._plan_extra_condition(company),
            company=company.id,
        )

    @api.model
    def _listed_items_condition(self):
        """Nor does a reminder list them (or the credit notes before it)."""
        return SQL(
            """%(super)s
               AND NOT EXISTS (
                   SELECT 1 FROM credit_insolvency_proceeding ip
                    WHERE ip.partner_id = m.commercial_partner_id
                      AND ip.company_id = m.company_id
                      AND m.invoice_date < ip.judgment_date
               )""",
            super=super()._listed_items_condition(),
        )

    @api.model
    def _net_position_extra_condition(self):
        """The claims in proceedings are not part of what the customer's
        later invoices are reminded for: neither its frozen debt nor its
        credit notes from before the judgment weigh on the ladder."""
        return SQL(
            """%(super)s
               AND NOT EXISTS (
                   SELECT 1
                     FROM account_move lm
                     JOIN credit_insolvency_proceeding ip
                       ON ip.partner_id = p.commercial_partner_id
                      AND ip.company_id = l.company_id
                    WHERE lm.id = l.move_id
                      AND lm.invoice_date < ip.judgment_date
               )""",
            super=super()._net_position_extra_condition(),
        )

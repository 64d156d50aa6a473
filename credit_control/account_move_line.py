from odoo import api, models
from odoo.tools import SQL


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Open items of a partner, read by the exposure query with an index-only
    # scan: the confirmation check costs the same for 10 or 10,000 invoices.
    _credit_open_items_idx = models.Index(
        "(partner_id, account_id) INCLUDE (amount_residual, date_maturity, "
        "company_id, move_id) WHERE reconciled IS NOT TRUE AND parent_state = 'posted'"
    )

    @api.model
    def _credit_open_receivable_sql(self, alias):
        """SQL condition on the account_move_line ``alias``: an open
        receivable item, written to match the predicate of the index above
        (the exposure and the run's listing both read through it)."""
        line = SQL.identifier(alias)
        return SQL(
            """%(line)s.account_id = ANY(ARRAY(
                   SELECT id FROM account_account
                    WHERE account_type = 'asset_receivable'))
               AND %(line)s.reconciled IS NOT TRUE
               AND %(line)s.parent_state = 'posted'""",
            line=line,
        )

    def _reconcile_plan(self, reconciliation_plan):
        result = super()._reconcile_plan(reconciliation_plan)
        amls = self.browse()
        stack = list(reconciliation_plan)
        while stack:
            item = stack.pop()
            if isinstance(item, models.BaseModel):
                amls |= item
            else:
                stack.extend(item)
        receivable = amls.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable" and line.partner_id
            )
        )
        if receivable:
            receivable.partner_id.commercial_partner_id._credit_release_automatic_holds()
        return result

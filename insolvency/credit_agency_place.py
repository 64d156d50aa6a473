from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class CreditAgencyPlaceWizard(models.TransientModel):
    _inherit = "credit.agency.place.wizard"

    @api.model
    def _open_for(self, partner, moves=None, whole_account=False):
        """The invoices of a customer in proceedings dated before the
        judgment are not offered: only the court's representative may
        collect them."""
        action = super()._open_for(partner, moves=moves, whole_account=whole_account)
        ids = action["context"].get("default_move_ids") or []
        blocked = self.env["account.move"].browse(ids)._credit_in_proceedings()
        action["context"]["default_move_ids"] = [i for i in ids if i not in blocked.ids]
        return action

    def _check_invoices(self):
        blocked = self.move_ids._credit_in_proceedings()
        if blocked:
            proceeding = blocked[:1]._credit_proceedings()[:1]
            raise UserError(
                self.env._(
                    "%(customer)s is in insolvency proceedings (judgment of "
                    "%(date)s): its invoices dated before the judgment are "
                    "declared to the court's representative, not placed with an "
                    "agency: %(moves)s.",
                    customer=proceeding.partner_id.name,
                    date=format_date(self.env, proceeding.judgment_date),
                    moves=", ".join(blocked.mapped("name")),
                )
            )
        return super()._check_invoices()


class AccountMove(models.Model):
    _inherit = "account.move"

    def _credit_proceedings(self):
        """The proceedings whose claims include these invoices."""
        proceedings = (
            self.env["credit.insolvency.proceeding"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        return proceedings.filtered(
            lambda p: any(
                m.commercial_partner_id == p.partner_id
                and m.company_id == p.company_id
                and m.invoice_date
                and m.invoice_date < p.judgment_date
                for m in self
            )
        )

    def _credit_in_proceedings(self):
        """Those of these invoices that are claims in a customer's
        proceedings (dated before the opening judgment)."""
        proceedings = self._credit_proceedings()
        return self.filtered(
            lambda m: any(
                m.commercial_partner_id == p.partner_id
                and m.company_id == p.company_id
                and m.invoice_date
                and m.invoice_date < p.judgment_date
                for p in proceedings
            )
        )

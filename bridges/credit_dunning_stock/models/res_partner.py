from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _credit_set_flags(self, reason, origin="manual", **flags):
        changed = super()._credit_set_flags(reason, origin=origin, **flags)
        if changed:
            # set: their open deliveries wait; lifted: they are released
            self.env["stock.picking"]._credit_open_deliveries(
                changed
            )._credit_update_waiting()
        return changed

    def _credit_release_automatic_holds(self):
        released = super()._credit_release_automatic_holds()
        # a payment: the deliveries of a cash-only customer whose order is
        # now paid may leave (a lifted hold released its own above)
        self.env["stock.picking"]._credit_open_deliveries(
            self.commercial_partner_id, waiting_only=True
        )._credit_update_waiting()
        return released

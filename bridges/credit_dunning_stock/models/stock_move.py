from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _assign_picking_post_process(self, new=False):
        result = super()._assign_picking_post_process(new=new)
        if new:
            # a delivery made for a customer already on hold, or cash-only
            # with its order unpaid, waits from the start
            self.picking_id._credit_wait_if_stopped()
        return result

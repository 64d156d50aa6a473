from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _credit_checked(self):
        """A sale made at the Point of Sale has happened: the customer paid at
        the till (or bought on Customer Account, which the till checks and the
        server flags), and took the goods. Its deliveries are never stopped,
        so that the stock follows the sale. Those the order ships later wait
        like any other when it is on Customer Account with neither an
        approval nor a flag."""
        pickings = super()._credit_checked()
        # made now by the order being recorded (pos_order_id is written after)
        if self.env.context.get("credit_pos_order_id"):
            pickings = pickings.filtered("pos_order_id")
        return pickings.filtered(
            lambda p: not p.pos_order_id._credit_pos_releases_delivery()
        )

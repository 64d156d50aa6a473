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
        pos_order_id = self.env.context.get("credit_pos_order_id")
        return pickings.filtered(
            lambda p: not (
                (pos_order_id and not p.pos_order_id)
                or (p.pos_order_id and p.pos_order_id._credit_pos_releases_delivery())
            )
        )

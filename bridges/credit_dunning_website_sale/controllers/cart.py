from odoo.http import request

from odoo.addons.website_sale.controllers.cart import Cart


class CartCredit(Cart):
    def _cart_values(self, **post):
        values = super()._cart_values(**post)
        order = request.cart
        values["credit_webshop_block"] = (
            order._credit_webshop_block() if order and order.order_line else {}
        )
        return values

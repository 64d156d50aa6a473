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

    def _get_express_shop_payment_values(self, order, **kwargs):
        values = super()._get_express_shop_payment_values(order, **kwargs)
        if order and order.order_line and order._credit_webshop_block():
            # no express "Pay with …" button on the cart of an order that
            # credit control would not confirm
            values["providers_sudo"] = values["providers_sudo"].browse()
        return values

from odoo.http import request

from odoo.addons.website_sale.controllers.main import WebsiteSale


class WebsiteSaleCredit(WebsiteSale):
    def _get_shop_payment_values(self, order, **kwargs):
        values = super()._get_shop_payment_values(order, **kwargs)
        block = order._credit_webshop_block() if order else {}
        if block:
            # an error hides the payment form and the Pay button
            body = request.env["ir.qweb"]._render(
                "credit_dunning_website_sale.credit_webshop_alert_body",
                {"block": block},
            )
            values["errors"] = [*values["errors"], (block["title"], body)]
        return values

    def _prepare_shop_payment_confirmation_values(self, order):
        values = super()._prepare_shop_payment_confirmation_values(order)
        values["credit_awaits_review"] = order._credit_webshop_awaits_review()
        return values

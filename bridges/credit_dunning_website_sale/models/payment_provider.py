from odoo import api, models

from odoo.addons.payment import utils as payment_utils


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_compatible_providers(
        self, *args, sale_order_id=None, report=None, **kwargs
    ):
        providers = super()._get_compatible_providers(
            *args, sale_order_id=sale_order_id, report=report, **kwargs
        )
        if not sale_order_id or not providers:
            return providers
        order = self.env["sale.order"].browse(sale_order_id).exists()
        if not order:
            return providers
        allowed, reason = order._credit_webshop_allowed_providers(providers)
        if allowed != providers:
            payment_utils.add_to_report(
                report,
                providers - allowed,
                available=False,
                reason=self.env._("pays later, refused by credit control: %s", reason),
            )
        return allowed

    def _credit_pays_later(self):
        """The providers whose money comes after the order (wire transfer,
        cash on delivery, payment in store): every custom provider."""
        return self.filtered(lambda p: p.code == "custom")

from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.website_sale.controllers.payment import PaymentPortal


class PaymentPortalCredit(PaymentPortal):
    def _validate_transaction_for_order(self, transaction, sale_order):
        # the provider of a crafted request, not listed on the page: the
        # error rolls the new transaction back
        allowed, _reason = sale_order._credit_webshop_allowed_providers(
            transaction.provider_id
        )
        if not allowed:
            raise ValidationError(
                request.env._(
                    "This payment method is not available for this order, which "
                    "must be paid at once. Please choose another one."
                )
            )
        return super()._validate_transaction_for_order(transaction, sale_order)

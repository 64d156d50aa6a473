from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request, route

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

    @route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        # a quotation paid from the customer portal ("Pay & Confirm"): the
        # same refusal as the webshop's, before any transaction is created
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token
            )
        except (AccessError, MissingError):
            # Odoo's own route says what is wrong with the link
            return super().portal_order_transaction(order_id, access_token, **kwargs)
        block = order_sudo._credit_webshop_block()
        if block:
            raise ValidationError(
                request.env._(
                    "%(title)s\n%(message)s",
                    title=block["title"],
                    message=block["message"],
                )
            )
        return super().portal_order_transaction(order_id, access_token, **kwargs)

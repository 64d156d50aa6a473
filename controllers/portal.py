from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class CreditDunningCustomerPortal(CustomerPortal):
    @http.route()
    def portal_quote_accept(
        self, order_id, access_token=None, name=None, signature=None
    ):
        """A signature that credit control refuses never fails silently: the
        customer reads why nothing happened, the order is parked and its
        salesperson and the credit managers get an activity."""
        token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=token
            )
        except (AccessError, MissingError):
            return super().portal_quote_accept(
                order_id, access_token=access_token, name=name, signature=signature
            )
        if (
            signature
            and order_sudo._has_to_be_signed()
            and not order_sudo._has_to_be_paid()
        ):
            problems = order_sudo._credit_check_problems()
            if problems:
                order_sudo._credit_park(problems)
                return {
                    "error": request.env._(
                        "Your order could not be confirmed online: it needs the "
                        "approval of our credit department. Your salesperson has "
                        "been told and will contact you shortly."
                    )
                }
        return super().portal_quote_accept(
            order_id, access_token=access_token, name=name, signature=signature
        )

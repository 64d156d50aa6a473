import base64
import xmlrpc.client

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon

# a 1x1 transparent PNG, as the signature pad sends it
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


@tagged("post_install", "-at_install")
class TestOrderBlockingOverHttp(CreditDunningCommon, HttpCase):
    def test_portal_signature_never_fails_silently(self):
        self._set_flags(self.customer, credit_hold=True)
        order = self._order(self.customer, 100)
        order.require_signature = True
        order._portal_ensure_token()
        self.assertTrue(order._has_to_be_signed())
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order.access_token,
                "name": "Jean Dupont",
                "signature": SIGNATURE,
            },
        )
        self.assertIn("needs the approval of our credit department", result["error"])
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.credit_blocked)
        self.assertIn("credit hold", order.credit_block_reason)
        self.assertIn(
            self.salesman,
            self._activities(
                order, "credit_dunning.mail_activity_type_credit_blocked"
            ).user_id,
        )

    def test_portal_signature_of_a_good_customer_confirms(self):
        order = self._order(self.customer, 100)
        order.require_signature = True
        order._portal_ensure_token()
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order.access_token,
                "name": "Jean Dupont",
                "signature": SIGNATURE,
            },
        )
        self.assertNotIn("error", result)
        self.env.invalidate_all()
        self.assertEqual(order.state, "sale")
        self.assertTrue(base64.b64decode(order.signature))

    # the deprecation notice of /xmlrpc and the refusal are expected log lines
    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc")
    def test_xmlrpc_confirmation_is_refused(self):
        self.customer.credit_limit = 50
        order = self._order(self.customer, 100)
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "cd_salesman", "cd_salesman", {}
        )
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self.xmlrpc_object.execute(
                self.env.cr.dbname,
                uid,
                "cd_salesman",
                "sale.order",
                "action_confirm",
                [order.id],
            )
        self.assertIn(
            "would exceed the limit of $\xa050.00 by $\xa050.00",
            error.exception.faultString,
        )
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")

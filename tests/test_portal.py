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

    def _web_client_call(self, route, order_ids, context=None):
        """Call action_confirm as the web client does, and return the
        decoded JSON-RPC answer (the refusal is its error)."""
        response = self.opener.post(
            f"{self.base_url()}{route}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 0,
                "params": {
                    "model": "sale.order",
                    "method": "action_confirm",
                    "args": [order_ids],
                    "kwargs": {"context": context or {}},
                },
            },
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def _assert_parked(self, order, note):
        self.assertIn(order.state, ("draft", "sent"))
        self.assertTrue(order.credit_blocked)
        self.assertTrue(
            order.message_ids.filtered(lambda m: note in m.body),
            "the refusal is written in the chatter",
        )
        activities = self._activities(
            order, "credit_dunning.mail_activity_type_credit_blocked"
        )
        self.assertIn(self.salesman, activities.user_id)
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertIn(
            order, self.env["sale.order"].search([("credit_blocked", "=", True)])
        )

    # the refusal is a UserError, which odoo.http logs as a warning
    @mute_logger("odoo.http")
    def test_confirm_button_refusal_is_recorded(self):
        """The Confirm button of the form: the refusal is recorded once the
        request has let go of its environment (issue 11)."""
        self.customer.credit_limit = 50
        order = self._order(self.customer, 100)
        self.authenticate("cd_salesman", "cd_salesman")
        answer = self._web_client_call(
            "/web/dataset/call_button/sale.order/action_confirm",
            order.ids,
            # what the form sends, with a default of the action it came from
            {
                "lang": "en_US",
                "tz": "Europe/Paris",
                "allowed_company_ids": [self.company.id],
                "validate_analytic": True,
                "default_partner_id": self.contact.id,
            },
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn(
            "would exceed the limit of $\xa050.00 by $\xa050.00",
            answer["error"]["data"]["message"],
        )
        self.env.invalidate_all()
        self._assert_parked(order, "Confirmation refused by credit control")

    @mute_logger("odoo.http")
    def test_batch_confirmation_refusal_in_french_is_recorded(self):
        """Several quotations confirmed at once by a French salesperson:
        the refused one is recorded, in French, the others stay as they were."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.salesman.lang = "fr_FR"
        self.customer.credit_limit = 1000
        first = self._order(self.customer, 600)
        second = self._order(self.customer, 600)  # together over the limit
        self.authenticate("cd_salesman", "cd_salesman")
        answer = self._web_client_call(
            "/web/dataset/call_kw/sale.order/action_confirm",
            (first | second).ids,
            {"lang": "fr_FR", "allowed_company_ids": [self.company.id]},
        )
        message = answer["error"]["data"]["message"]
        self.assertIn("Le contrôle du crédit refuse la confirmation", message)
        self.assertIn(second.name, message)
        self.env.invalidate_all()
        self.assertEqual(first.state, "draft")
        self.assertFalse(first.credit_blocked)
        self._assert_parked(second, "Confirmation refusée par le contrôle du crédit")

    # the deprecation notice of /xmlrpc and the refusal are expected log lines
    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc")
    def test_xmlrpc_confirmation_is_refused(self):
        self.customer.credit_limit = 50
        order = self._order(self.customer, 100)
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "cd_salesman", "cd_salesman", {}
        )
        # not assertRaises: Odoo's rolls back what the block wrote, and the
        # refusal is recorded in a transaction of its own during the call
        try:
            self.xmlrpc_object.execute(
                self.env.cr.dbname,
                uid,
                "cd_salesman",
                "sale.order",
                "action_confirm",
                [order.id],
            )
        except xmlrpc.client.Fault as error:
            fault = error.faultString
        else:
            self.fail("the confirmation was not refused")
        self.assertIn("would exceed the limit of $\xa050.00 by $\xa050.00", fault)
        self.env.invalidate_all()
        self._assert_parked(order, "Confirmation refused by credit control")

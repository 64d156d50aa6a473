import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestPortalTours(CreditDunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tour_customer = cls._make_customer("Tour Customer", "tour@example.com")
        cls.tour_customer.credit_collector_id = cls.collector
        today = fields.Date.today()
        cls.overdue = cls._invoice(
            cls.tour_customer,
            600,
            today - timedelta(days=40),
            due=today - timedelta(days=10),
        )
        cls.later = cls._invoice(
            cls.tour_customer,
            900,
            today - timedelta(days=5),
            due=today + timedelta(days=25),
        )

    def _link_from_reminder(self):
        """The account page link of the customer's queued reminder email."""
        run = self.env["credit.dunning.run"]._run(self.company)
        comm = run.communication_ids.filtered(
            lambda c: c.partner_id == self.tour_customer
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", comm._name), ("res_id", "=", comm.id)]
        )
        self.assertEqual(mail.state, "outgoing")
        url = re.search(r'href="([^"]*/my/credit/[^"]+)"', mail.body_html).group(1)
        return url[url.index("/my/credit/") :]

    def test_customer_disputes_promises_and_asks_for_a_plan(self):
        path = self._link_from_reminder()
        self.start_tour(path, "credit_portal_account")
        self.env.invalidate_all()
        self.assertTrue(self.overdue.dunning_dispute)
        self.assertEqual(self.overdue.dunning_dispute_origin, "portal")
        self.assertEqual(self.overdue.dunning_dispute_reason_code, "price")
        self.assertIn(self.collector, self.overdue.activity_ids.user_id)
        self.assertIn(self.salesman, self.overdue.activity_ids.user_id)
        promise = self.later.dunning_promise_ids
        self.assertEqual(promise.origin, "portal")
        self.assertEqual(promise.date, fields.Date.today() + timedelta(days=10))
        plan = self.env["credit.dunning.plan"].search(
            [("partner_id", "=", self.tour_customer.id)]
        )
        self.assertEqual(plan.state, "requested")
        self.assertEqual(plan.line_ids.mapped("amount"), [450, 450])
        access = self.env["credit.dunning.access"].search(
            [("partner_id", "=", self.tour_customer.id)]
        )
        self.assertEqual(
            set(access.event_ids.mapped("kind")),
            {"opened", "disputed", "promised", "plan"},
        )
        # the manager accepts it in the backend
        self.start_tour(
            "/odoo", "credit_portal_plan_accept", login=self.credit_manager.login
        )
        self.env.invalidate_all()
        self.assertEqual(plan.state, "accepted")
        self.assertEqual(len(plan.promise_ids), 2)
        self.assertEqual(plan.line_ids.promise_id, plan.promise_ids)

    def test_revoked_link_shows_a_polite_page(self):
        path = self._link_from_reminder()
        token = path.rsplit("/", 1)[-1]
        self.env["credit.dunning.access"].search(
            [("token", "=", token)]
        ).action_revoke()
        self.start_tour(path, "credit_portal_invalid_link")

    def _demo_provider(self):
        """Odoo's demo payment provider for the test company, in test mode
        (scripts/test installs payment_demo in the test database; it is not
        a dependency of the addon)."""
        demo = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not demo or demo.module_state != "installed":
            self.skipTest("payment_demo is not installed (scripts/test installs it)")
        provider = demo.sudo().copy(
            {
                "company_id": self.company.id,
                "state": "test",
                "is_published": True,
                "payment_method_ids": [
                    (6, 0, self.env.ref("payment_demo.payment_method_demo").ids)
                ],
            }
        )
        provider.journal_id = self.company_data["default_journal_bank"]
        return provider

    def test_customer_on_hold_pays_with_the_demo_provider(self):
        # the ladder put the customer on hold
        self.tour_customer.sudo()._credit_set_flags(
            "level reached", origin="dunning", credit_hold=True
        )
        self._demo_provider()
        path = self._link_from_reminder()
        self.start_tour(path, "credit_portal_pay")
        self.env.invalidate_all()
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("partner_id", "=", self.tour_customer.id)])
        )
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.invoice_ids, self.overdue)
        self.assertEqual(tx.amount, 600)
        self.assertIn(self.overdue.payment_state, ("in_payment", "paid"))
        self.assertEqual(self.later.payment_state, "not_paid", "only the overdue")
        self.assertFalse(self.tour_customer.credit_hold, "the payment lifts the hold")
        access = self.env["credit.dunning.access"].search(
            [("partner_id", "=", self.tour_customer.id)]
        )
        self.assertIn("paid", access.event_ids.mapped("kind"))
        # the collector sees it in the customer's chatter
        self.assertTrue(
            any(
                "Paid online" in (body or "")
                for body in self.tour_customer.message_ids.mapped("body")
            )
        )

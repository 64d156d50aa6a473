from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditDunningCommon


class PortalAccountCommon(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_collector_id = cls.collector
        cls.Access = cls.env["credit.dunning.access"]
        cls.levels = {
            level.offset_days: level
            for level in cls.env.ref(
                "credit_dunning.credit_dunning_policy_default"
            ).level_ids
        }

    def _run(self, day):
        with freeze_time(day):
            return self.env["credit.dunning.run"]._run(self.company)

    def _link(self, partner=None):
        return self.Access._ensure_for(partner or self.customer, self.company)[
            (partner or self.customer).id
        ]


@tagged("post_install", "-at_install")
class TestAccessLink(PortalAccountCommon):
    def test_reminder_email_carries_the_link_not_the_pdf(self):
        invoice = self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        comm = self._run("2026-03-15").communication_ids
        self.assertEqual(comm.level_id, self.levels[5])
        access = self.Access.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(access), 1)
        self.assertEqual(access.expiry_date, date(2026, 5, 14), "60 days")
        mail = self.env["mail.mail"].search(
            [("model", "=", comm._name), ("res_id", "=", comm.id)]
        )
        self.assertIn(f"/my/credit/{access.token}", mail.body_html)
        self.assertIn("Your account online", mail.body_html)
        self.assertFalse(mail.attachment_ids, "no PDF by default: the link")
        self.assertFalse(comm.attachment_id)
        self.assertIn(invoice.name, mail.body_html)
        # the next reminder reuses and renews the same link
        self.company.credit_portal_validity_days = 30
        self.assertTrue(self._run("2026-03-25").communication_ids)
        self.assertEqual(
            self.Access.search([("partner_id", "=", self.customer.id)]), access
        )
        self.assertEqual(access.expiry_date, date(2026, 5, 14), "never shortened")

    def test_statement_stays_an_option_and_letter_has_qr(self):
        self.levels[5].attach_statement = True
        self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        comm = self._run("2026-03-15").communication_ids
        self.assertTrue(comm.attachment_id)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("credit_dunning.report_dunning_letter", comm.ids)[0]
            .decode()
        )
        self.assertIn(comm.credit_portal_short_url, html)
        self.assertNotIn("https://", comm.credit_portal_short_url)
        self.assertIn('src="data:image/png;base64,', html, "the QR code")

    def test_sms_carries_the_link(self):
        self.levels[5].write(
            {
                "send_sms": True,
                "sms_template_id": self.env.ref(
                    "credit_dunning.sms_template_dunning_reminder"
                ).id,
            }
        )
        self.customer.phone = "+33612345678"
        self._invoice(self.customer, 1000, "2026-02-08", due="2026-03-10")
        comm = self._run("2026-03-15").communication_ids
        sms = self.env["sms.sms"].search([("partner_id", "=", comm.recipient_id.id)])
        self.assertIn(comm.credit_portal_url, sms.body)

    def test_revoke_and_expiry(self):
        access = self._link()
        url = self.customer._credit_portal_url()
        self.assertTrue(url.endswith(f"/my/credit/{access.token}"))
        self.assertEqual(self.Access._from_token(access.token), access)
        with freeze_time(access.expiry_date.isoformat()):
            self.assertEqual(self.Access._from_token(access.token), access)
        with freeze_time("2100-01-01"):
            self.assertFalse(self.Access._from_token(access.token), "expired")
        with self.assertRaises(AccessError):
            access.with_user(self.salesman).action_revoke()
        access.with_user(self.collector).action_revoke()
        self.assertEqual(access.state, "revoked")
        self.assertFalse(self.Access._from_token(access.token))
        self.assertIn("revoked", access.message_ids[0].body)
        self.assertIn("revoked", self.customer.message_ids[0].body)
        # a new link for the next reminder
        self.assertNotEqual(self._link(), access)

    def test_link_rights(self):
        access = self._link()
        for user in (self.salesman, self.internal_user):
            with self.assertRaises(AccessError):
                self.Access.with_user(user).browse(access.id).read(["expiry_date"])
        portal = self._portal_user(self.customer)
        with self.assertRaises(AccessError):
            self.Access.with_user(portal).browse(access.id).read(["expiry_date"])
        with self.assertRaises(AccessError):
            access.with_user(portal).action_revoke()
        self.assertEqual(
            access.with_user(self.collector).url, self.customer._credit_portal_url()
        )

    @classmethod
    def _portal_user(cls, partner, login=None):
        contact = cls.env["res.partner"].create(
            {
                "name": f"Portal of {partner.name}",
                "parent_id": partner.id,
                "email": f"{login or partner.id}@portal.example.com",
            }
        )
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login or f"portal_{partner.id}",
                    "partner_id": contact.id,
                    "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
                }
            )
        )

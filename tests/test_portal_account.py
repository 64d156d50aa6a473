import base64
import re
import tempfile
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open, mute_logger
from odoo.tools.translate import TranslationImporter

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
                    "password": login or f"portal_{partner.id}",
                    "partner_id": contact.id,
                    "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
                }
            )
        )


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
        self.assertIn('src="data:image/svg+xml;base64,', html, "the QR code")
        # the letter's QR code is the one drawn for the reminder's link
        src = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
        svg = base64.b64decode(src).decode()
        self.assertIn("<svg", svg)
        self.assertEqual(comm._credit_portal_qr_src().split(",", 1)[1], src)

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


@tagged("post_install", "-at_install")
class TestAccountPage(PortalAccountCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._make_customer("Durand SA", "durand@example.com")
        cls.overdue = cls._invoice(cls.customer, 1000, "2026-01-05", due="2026-02-04")
        cls.not_due = cls._invoice(cls.customer, 300, "2026-02-20", due="2026-03-22")
        cls.refund = cls._invoice(
            cls.customer, 100, "2026-02-10", move_type="out_refund"
        )
        cls.other_invoice = cls._invoice(cls.other, 777, "2026-01-05", due="2026-02-04")

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)
        self.access = self._link()
        self.token = self.access.token
        self.other_access = self._link(self.other)

    def _post(self, path, data, files=None):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open(f"/my/credit/{self.token}{path}", data=data, files=files)

    def test_page_shows_only_the_customer(self):
        with freeze_time("2026-03-01"):
            response = self.url_open(f"/my/credit/{self.token}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for move in (self.overdue, self.not_due, self.refund):
            self.assertIn(move.name, page)
        self.assertNotIn(self.other_invoice.name, page)
        self.assertNotIn("Durand", page)
        self.assertIn("Overdue", page)
        self.assertIn("1,000.00", page)
        self.assertIn("1,200.00", page, "total due: credit note deducted")
        self.assertIn("Late-payment penalties", page)
        self.assertIn("opened", self.access.event_ids.mapped("kind"))
        statement = self.url_open(f"/my/credit/{self.token}/statement")
        self.assertEqual(statement.status_code, 200)
        self.assertIn(self.overdue.name, statement.text)
        self.assertNotIn(self.other_invoice.name, statement.text)
        self.assertIn("statement", self.access.event_ids.mapped("kind"))

    @mute_logger("odoo.http")
    def test_invalid_links_show_nothing(self):
        cases = {"unknown": "x" * 22}
        revoked = self._link(self.other)
        revoked.action_revoke()
        cases["revoked"] = revoked.token
        expired = self._link()
        expired.expiry_date = "2026-01-01"
        cases["expired"] = expired.token
        for case, token in cases.items():
            with self.subTest(case=case), freeze_time("2026-03-01"):
                for path in ("", "/statement", "/pay"):
                    response = self.url_open(f"/my/credit/{token}{path}")
                    self.assertEqual(response.status_code, 404)
                    self.assertIn("This link is no longer valid", response.text)
                    for name in ("Dupont", "Durand", self.overdue.name):
                        self.assertNotIn(name, response.text)

    def test_a_link_never_acts_on_another_customer(self):
        foreign = str(self.other_invoice.id)
        with freeze_time("2026-03-01"):
            response = self._post(
                "/promise", {"date": "2026-03-10", "invoice_ids": [foreign]}
            )
            self.assertEqual(response.status_code, 400)
            response = self._post(
                "/promise",
                {"date": "2026-03-10", "invoice_ids": [str(self.overdue.id), foreign]},
            )
            self.assertEqual(response.status_code, 400)
            response = self._post(
                "/dispute",
                {"invoice_id": foreign, "reason": "price", "message": "no"},
            )
            self.assertEqual(response.status_code, 400)
            response = self._post(
                "/plan", {"invoice_ids": [foreign], "instalments": "2"}
            )
            self.assertEqual(response.status_code, 400)
            response = self.url_open(
                f"/my/credit/{self.token}/pay?invoice_ids={foreign}"
            )
            self.assertEqual(response.status_code, 400)
            self.assertNotIn(self.other_invoice.name, response.text)
            self.assertNotIn("Durand", response.text)
        self.assertFalse(
            self.env["credit.dunning.promise"].search(
                [("partner_id", "in", (self.customer | self.other).ids)]
            )
        )
        self.assertFalse(self.other_invoice.dunning_dispute)
        self.assertFalse(
            self.env["credit.dunning.plan"].search([("partner_id", "=", self.other.id)])
        )

    def test_promise_pauses_the_ladder(self):
        with freeze_time("2026-03-01"):
            response = self._post(
                "/promise", {"date": "2026-05-01", "invoice_ids": [self.overdue.id]}
            )
            self.assertEqual(response.status_code, 400, "beyond 30 days")
            self.assertIn("Choose a payment date between today and", response.text)
            response = self._post(
                "/promise", {"date": "2026-03-20", "invoice_ids": [self.overdue.id]}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("your payment promise is recorded", response.text)
        promise = self.overdue.dunning_promise_ids
        self.assertEqual(promise.origin, "portal")
        self.assertEqual(promise.amount, 1000)
        self.assertEqual(str(promise.date), "2026-03-20")
        self.assertEqual(promise.activity_ids.user_id, self.collector)
        self.assertIn("promised", self.access.event_ids.mapped("kind"))
        run = self._run("2026-03-02")
        self.assertNotIn(self.overdue, run.communication_ids.line_ids.move_id)

    def test_no_online_promise_after_a_broken_one(self):
        with freeze_time("2026-02-01"):
            broken = self.env["credit.dunning.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, self.overdue.ids)],
                    "date": "2026-02-05",
                    "amount": 1000,
                }
            )
        broken.state = "broken"
        with freeze_time("2026-03-01"):
            page = self.url_open(f"/my/credit/{self.token}").text
            self.assertIn("could not be kept recently", page)
            response = self._post(
                "/promise", {"date": "2026-03-10", "invoice_ids": [self.overdue.id]}
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.overdue.dunning_promise_ids, broken)

    def test_dispute_with_a_file(self):
        with freeze_time("2026-03-01"):
            response = self._post(
                "/dispute",
                {
                    "invoice_id": self.overdue.id,
                    "reason": "not_conform",
                    "message": "Two widgets were broken on delivery.",
                },
                files={"attachment": ("photo.txt", b"broken widgets", "text/plain")},
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your dispute is recorded", response.text)
        self.assertTrue(self.overdue.dunning_dispute)
        self.assertEqual(self.overdue.dunning_dispute_origin, "portal")
        self.assertEqual(self.overdue.dunning_dispute_reason_code, "not_conform")
        self.assertEqual(
            self.overdue.activity_ids.user_id, self.collector | self.salesman
        )
        message = self.overdue.message_ids.filtered(
            lambda m: m.author_id == self.customer
        )
        self.assertIn("broken on delivery", message.body)
        self.assertEqual(message.attachment_ids.name, "photo.txt")
        self.assertIn("disputed", self.access.event_ids.mapped("kind"))
        # out of the ladder
        run = self._run("2026-03-02")
        self.assertNotIn(self.overdue, run.communication_ids.line_ids.move_id)

    def test_plan_requested_accepted_then_broken(self):
        with freeze_time("2026-03-01"):
            response = self._post(
                "/plan", {"invoice_ids": [self.overdue.id], "instalments": "2"}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Your payment plan proposal", response.text)
            self.assertIn('value="500.00"', response.text)
            response = self._post(
                "/plan/confirm",
                {
                    "invoice_ids": [self.overdue.id],
                    "line_date": ["2026-03-10", "2026-04-10"],
                    "line_amount": ["400", "600"],
                    "note": "Cash flow is tight this month.",
                },
            )
            self.assertIn("Your payment plan request is sent", response.text)
        plan = self.env["credit.dunning.plan"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(plan.state, "requested")
        self.assertEqual(plan.origin, "portal")
        self.assertEqual(plan.line_ids.mapped("amount"), [400, 600])
        # only a credit manager may accept it: the task is theirs, not the
        # collector's (who is no manager)
        decider = plan.activity_ids.user_id
        self.assertEqual(len(decider), 1)
        self.assertIn(decider, self.env["res.partner"]._credit_managers(self.company))
        self.assertNotEqual(decider, self.collector)
        for user in (self.salesman, self.collector, self._portal_user(self.other)):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                plan.with_user(user).action_accept()
        with freeze_time("2026-03-02"):
            plan.with_user(self.credit_manager).action_accept()
        self.assertEqual(plan.state, "accepted")
        self.assertEqual(len(plan.promise_ids), 2)
        self.assertEqual(plan.promise_ids.mapped("origin"), ["portal", "portal"])
        self.assertEqual(sorted(plan.promise_ids.mapped("amount")), [400, 1000])
        # the first instalment is missed: the plan breaks, hold + cash-only
        self._run("2026-03-20")
        self.assertEqual(plan.state, "broken")
        self.assertTrue(self.customer.credit_hold)
        self.assertTrue(self.customer.cash_only)

    def test_pay_the_overdue_online(self):
        # on hold by the ladder (credit-hold level reached)
        self.overdue.sudo().dunning_level_id = self.levels[15]
        self.customer.sudo()._credit_set_flags(
            "level reached", origin="dunning", credit_hold=True
        )
        provider, method = self._dummy_provider()
        with freeze_time("2026-03-01"):
            page = self.url_open(f"/my/credit/{self.token}/pay")
            self.assertEqual(page.status_code, 200)
            self.assertIn(self.overdue.name, page.text)
            self.assertNotIn(self.not_due.name, page.text, "all overdue only")
            values = self.make_jsonrpc_request(
                f"/my/credit/{self.token}/transaction/{self.overdue.id}",
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "token_id": None,
                    "amount": 1.0,  # what the browser says is ignored
                    "payment_reference": "FORGED",  # as Odoo's payment form sends
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": f"/my/credit/{self.token}?message=paid",
                    "is_validation": False,
                    "access_token": self.token,
                },
            )
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", values["reference"])])
        )
        self.assertEqual(tx.invoice_ids, self.overdue)
        self.assertEqual(tx.amount, 1000)
        self.assertNotIn("FORGED", tx.reference)
        self.assertEqual(tx.partner_id, self.customer)
        with freeze_time("2026-03-01"):
            tx._set_done()
            tx._post_process()
        self.assertEqual(self.overdue.payment_state, self._paid_state())
        self.assertFalse(self.customer.credit_hold, "the payment lifts the hold")
        self.assertIn("paid", self.access.event_ids.mapped("kind"))
        self.assertIn("Paid online", self.customer.message_ids[0].body)

    def _dummy_provider(self):
        """A provider of code "none" with its journal, as Odoo's own
        payment tests make it (payment_demo is not a dependency)."""
        Method = self.env["account.payment.method"].sudo()
        information = Method._get_payment_method_information

        def with_none(*args, **kwargs):
            result = information()
            result["none"] = {"mode": "electronic", "type": ("bank",)}
            return result

        method = self.env.ref("payment.payment_method_unknown").sudo()
        with patch.object(type(Method), "_get_payment_method_information", with_none):
            provider = (
                self.env["payment.provider"]
                .sudo()
                .create(
                    {
                        "name": "Dummy Provider",
                        "code": "none",
                        "state": "test",
                        "is_published": True,
                        "payment_method_ids": [(6, 0, method.ids)],
                    }
                )
            )
            method.write({"active": True})
            Method.create(
                {"name": "Dummy method", "code": "none", "payment_type": "inbound"}
            )
            provider.journal_id = self.company_data["default_journal_bank"]
        return provider, method

    def _paid_state(self):
        return (
            "in_payment"
            if self.env["account.move"]._get_invoice_in_payment_state() == "in_payment"
            else "paid"
        )

    def test_french_page(self):
        french = self._french_customer()
        # Odoo drops the terms of fr.po missing from the .pot (regenerated
        # with scripts/update_translations): read fr.po on its own
        with (
            file_open("credit_dunning/i18n/fr.po", "rb") as po,
            tempfile.NamedTemporaryFile(suffix=".txt") as copy,
        ):
            copy.write(po.read())
            copy.flush()
            importer = TranslationImporter(self.env.cr, verbose=False)
            importer.load(copy, "po", "fr_FR")
            importer.save(overwrite=True)
        self._invoice(french, 500, "2026-01-05", due="2026-02-04")
        access = self._link(french)
        with freeze_time("2026-03-01"):
            page = self.url_open(f"/my/credit/{access.token}").text
        self.assertIn("Votre compte chez", page)
        self.assertIn('<html lang="fr-FR">', page)
        self.assertIn("Payer par virement", page)
        self.assertIn("Télécharger le relevé", page)
        self.assertIn("Je m'engage à payer à cette date", page)
        self.assertIn("Marchandise ou prestation non reçue", page)
        self.assertNotIn("Your account with", page)

    def test_page_figures_after_a_dispute_and_a_plan_request(self):
        """What the customer reads adds up: the disputed invoice leaves the
        overdue total and the penalties, the credit note is said; no "Pay"
        without a way to pay, the bank account instead; once a plan is asked,
        no promise nor second plan. The page is well formed for a screen
        reader: a language, headings in order, no empty column header."""
        second = self._invoice(self.customer, 400, "2026-01-10", due="2026-02-09")
        second.write({"dunning_dispute": True})
        with freeze_time("2026-03-01"):
            page = self.url_open(f"/my/credit/{self.token}").text
            self.assertIn('<html lang="en-US">', page)
            # 1000 overdue + 300 not due + 400 disputed - 100 credit note
            self.assertRegex(
                page, r"o_credit_amount_due[^>]*>\$\xa0<span[^>]*>1,600\.00"
            )
            self.assertRegex(
                page, r"o_credit_amount_overdue[^>]*>\$\xa0<span[^>]*>1,000\.00"
            )
            self.assertIn("not counting", page)
            self.assertIn("in dispute", page)
            self.assertIn("after your credit notes of", page)
            # penalties on the 1,000.00 only: 1000 x 12 % (the tests' 2 % + 10)
            # x 25 days / 365
            interest = self.overdue.with_context(date="2026-03-01").late_interest_amount
            self.assertAlmostEqual(interest, 8.22, places=2)
            self.assertRegex(page, r"late_interest[^>]*>\$\xa0<span[^>]*>8\.22")
            # no payment provider: no "Pay" at all, the transfer details
            self.assertNotIn("o_credit_pay_overdue", page)
            self.assertNotIn("o_credit_pay_selected", page)
            self.assertIn("Pay by bank transfer", page)
            self.assertIn(self.company.partner_id.bank_ids[:1].acc_number, page)
            # headings in order, no empty header cell
            levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
            self.assertEqual(levels[0], 1)
            for before, after in zip(levels, levels[1:], strict=False):
                self.assertLessEqual(after, before + 1, f"headings {levels}")
            self.assertNotRegex(page, r"<th[^>]*>\s*</th>|<th/>")
            # with a provider, the customer may pay online
            self._dummy_provider()
            page = self.url_open(f"/my/credit/{self.token}").text
            self.assertIn("o_credit_pay_overdue", page)
            # a plan asked: neither a promise nor another plan is offered
            self._post(
                "/plan/confirm",
                {
                    "invoice_ids": [self.overdue.id],
                    "line_date": ["2026-03-10", "2026-04-10"],
                    "line_amount": ["500", "500"],
                },
            )
            page = self.url_open(f"/my/credit/{self.token}").text
        self.assertIn("o_credit_plan_pending", page)
        self.assertNotIn("o_credit_promise", page)
        self.assertNotIn('o_credit_plan"', page)

    def test_portal_user_reaches_its_page_from_my(self):
        portal = self._portal_user(self.customer, login="dupont_portal")
        self.authenticate("dupont_portal", "dupont_portal")
        response = self.url_open("/my/credit")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.overdue.name, response.text)
        self.assertTrue(response.url.endswith(f"/my/credit/{self.token}"))
        self.assertIn("My account statement", self.url_open("/my").text)
        self.assertTrue(portal)

    def test_internal_user_has_no_account_page(self):
        # a salesperson is not a customer: no link is made for the company
        self.authenticate(self.salesman.login, self.salesman.login)
        before = self.env["credit.dunning.access"].search_count([])
        response = self.url_open("/my/credit")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.env["credit.dunning.access"].search_count([]), before)

    def test_plan_refused_by_a_credit_manager_only(self):
        with freeze_time("2026-03-01"):
            plan = self.access._portal_request_plan(
                [self.overdue.id],
                [
                    {"date": "2026-03-15", "amount": 500},
                    {"date": "2026-04-15", "amount": 500},
                ],
            )
            with self.assertRaises(UserError):
                self.access._portal_request_plan(
                    [self.overdue.id],
                    [
                        {"date": "2026-03-15", "amount": 500},
                        {"date": "2026-04-15", "amount": 500},
                    ],
                )
        for user in (self.salesman, self._portal_user(self.other)):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                plan.with_user(user).action_refuse()
        plan.decision_note = "Please call us."
        plan.with_user(self.credit_manager).action_refuse()
        self.assertEqual(plan.state, "refused")
        self.assertFalse(plan.promise_ids)
        self.assertIn("Please call us.", self.customer.message_ids[0].body)

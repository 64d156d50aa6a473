from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestCreditExposure(CreditDunningCommon):
    def test_exposure_parts(self):
        # confirmed order not invoiced yet: 250
        self._order(self.customer, 250, confirm=True)
        # open receivable 1000, of which 400 paid -> 600
        inv = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        self._pay(inv, amount=400, pay_date="2026-02-01")
        # credit note 100 nets the receivables
        self._invoice(self.customer, 100, "2026-02-01", move_type="out_refund")
        # a paid invoice is not exposure
        paid = self._invoice(self.customer, 300, "2026-02-01", due="2026-03-01")
        self._pay(paid)
        # draft invoice: 70
        self._invoice(self.customer, 70, "2026-03-10", post=False)
        # a quotation is not exposure
        self._order(self.customer, 999)
        partner = self.customer
        self.assertAlmostEqual(partner.credit_receivable, 500.0)
        self.assertAlmostEqual(partner.credit_uninvoiced, 250.0)
        self.assertAlmostEqual(partner.credit_draft_invoices, 70.0)
        self.assertAlmostEqual(partner.credit_exposure, 820.0)
        self.assertAlmostEqual(partner.credit_overdue_amount, 600.0)
        self.assertEqual(partner.credit_oldest_overdue_days, 43)

    def test_contacts_share_one_exposure(self):
        other_contact = self.env["res.partner"].create(
            {"name": "Paul Dupont", "parent_id": self.customer.id}
        )
        self._invoice(self.contact, 300, "2026-03-01")
        self._invoice(other_contact, 200, "2026-03-01")
        self._order(other_contact, 100, confirm=True)
        for partner in (self.customer, self.contact, other_contact):
            self.assertAlmostEqual(partner.credit_exposure, 600.0, msg=partner.name)
        self.customer.credit_limit = 500
        self.assertAlmostEqual(self.contact.credit_remaining, -100.0)
        self.assertTrue(self.contact.credit_over_limit)

    def test_multi_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        # 1000 EUR at 2 EUR per company unit = 500 in company currency
        self._invoice(self.customer, 1000, "2026-03-01", currency=eur)
        self._order(self.customer, 400, confirm=True, currency=eur)
        self.assertAlmostEqual(self.customer.credit_receivable, 500.0)
        self.assertAlmostEqual(self.customer.credit_uninvoiced, 200.0)
        self.assertAlmostEqual(self.customer.credit_exposure, 700.0)

    def test_multi_company(self):
        company_2 = self.setup_other_company(name="Company B")["company"]
        self._invoice(self.customer, 300, "2026-03-01")
        self.env.user.company_ids |= company_2
        self._invoice(self.customer, 800, "2026-03-01", company=company_2)
        self.assertAlmostEqual(self.customer.credit_exposure, 300.0)
        self.assertAlmostEqual(
            self.customer.with_company(company_2).credit_exposure, 800.0
        )

    def test_search_filters(self):
        over = self._make_customer("Over Ltd")
        under = self._make_customer("Under Ltd")
        nolimit = self._make_customer("No Limit Ltd")
        over_contact = self.env["res.partner"].create(
            {"name": "Over Contact", "parent_id": over.id}
        )
        over.credit_limit = 1000
        under.credit_limit = 5000
        self._order(over_contact, 300, confirm=True)
        self._invoice(over, 800, "2026-03-01")
        self._invoice(under, 800, "2026-03-01")
        self._invoice(nolimit, 9000, "2026-03-01")
        Partner = self.env["res.partner"]
        found = Partner.search([("credit_over_limit", "=", True)])
        self.assertIn(over, found)
        self.assertIn(over_contact, found)
        self.assertNotIn(under, found)
        self.assertNotIn(nolimit, found)
        self.assertIn(under, Partner.search([("credit_over_limit", "=", False)]))
        self.assertNotIn(over, Partner.search([("credit_over_limit", "=", False)]))
        self.assertTrue(over.credit_over_limit)
        self.assertFalse(under.credit_over_limit)
        # The filter works without the setting's limits: nothing is over.
        self.company.account_use_credit_limit = False
        self.assertNotIn(over, Partner.search([("credit_over_limit", "=", True)]))
        self.company.account_use_credit_limit = True

        self._set_flags(under, credit_hold=True)
        self._set_flags(nolimit, cash_only=True)
        self.assertEqual(
            Partner.search([("credit_hold", "=", True), ("is_company", "=", True)]),
            under,
        )
        self.assertEqual(
            Partner.search([("cash_only", "=", True), ("is_company", "=", True)]),
            nolimit,
        )

    def _count_filter_queries(self, count):
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(count)]
        )
        for customer in customers:
            customer.credit_limit = 10
            self._invoice(customer, 50, "2026-03-01")
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        found = self.env["res.partner"].search([("credit_over_limit", "=", True)])
        queries = self.env.cr.sql_log_count - before
        self.assertLessEqual(customers, found)
        return queries

    def test_over_limit_filter_does_not_grow_with_customers(self):
        """The filter is one SQL query, not a Python loop over partners."""
        self.env["res.partner"].search(
            [("credit_over_limit", "=", True)]
        )  # warm caches
        few = self._count_filter_queries(2)
        many = self._count_filter_queries(30)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 3)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestCreditFlags(CreditDunningCommon):
    def test_manager_sets_hold_with_reason_in_chatter(self):
        wizard_action = self.customer.with_user(
            self.credit_manager
        ).action_credit_hold_set()
        wizard = (
            self.env["credit.flag.wizard"]
            .with_user(self.credit_manager)
            .with_context(**wizard_action["context"])
            .create({"reason": "Insurer withdrew cover"})
        )
        wizard.action_apply()
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_reason, "Insurer withdrew cover")
        self.assertEqual(self.customer.credit_hold_origin, "manual")
        self.assertEqual(str(self.customer.credit_hold_date), "2026-03-15")
        # shown on every contact
        self.assertTrue(self.contact.credit_hold)
        message = self.customer.message_ids[0]
        self.assertIn("Credit hold set", message.body)
        self.assertIn("Insurer withdrew cover", message.body)
        self.assertEqual(message.author_id, self.credit_manager.partner_id)
        # lifting it is traced too
        self.customer.with_user(self.credit_manager)._credit_set_flags(
            "Cover restored", credit_hold=False
        )
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.contact.credit_hold)
        self.assertIn("Credit hold lifted", self.customer.message_ids[0].body)

    def test_reason_required_and_only_managers(self):
        with self.assertRaises(UserError):
            self.customer.with_user(self.credit_manager)._credit_set_flags(
                " ", cash_only=True
            )
        with self.assertRaises(AccessError):
            self.customer.with_user(self.collector)._credit_set_flags(
                "x", cash_only=True
            )
        with self.assertRaises(UserError):
            self.customer.write({"cash_only": True})
        self.assertFalse(self.customer.cash_only)
        # nor lifted by a sales manager writing the field, though they may edit
        # the customer, whatever the context
        self._set_flags(self.customer, credit_hold=True)
        editor = self.customer.with_user(self.sales_manager)
        editor.check_access("write")
        editor.write({"comment": "edited"})
        with self.assertRaises(AccessError) as error:
            editor.with_context(credit_flag_reason="x").write({"credit_hold": False})
        self.assertIn("Only a credit manager", str(error.exception))
        self.assertTrue(self.customer.credit_hold)

    def test_new_contact_inherits_flags(self):
        self._set_flags(self.customer, cash_only=True)
        contact = self.env["res.partner"].create(
            {"name": "New", "parent_id": self.customer.id}
        )
        self.assertTrue(contact.cash_only)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestAutomaticRelease(CreditDunningCommon):
    def test_ladder_hold_lifts_after_payment(self):
        inv = self._invoice(self.customer, 500, "2026-01-01", due="2026-02-01")
        hold_level = self.env.ref("credit_dunning.credit_dunning_level_credit_hold")
        inv.sudo().dunning_level_id = hold_level
        self.customer._credit_set_flags("ladder", origin="dunning", credit_hold=True)
        self._pay(inv, amount=200, pay_date="2026-03-15")
        self.assertTrue(self.customer.credit_hold, "partly paid: still blocking")
        self._pay(inv, pay_date="2026-03-15")
        self.assertFalse(self.customer.credit_hold)
        self.assertIn("Credit hold lifted", self.customer.message_ids[0].body)

    def test_manual_hold_stays(self):
        inv = self._invoice(self.customer, 500, "2026-01-01", due="2026-02-01")
        self._set_flags(self.customer, credit_hold=True)
        self._pay(inv)
        self.assertTrue(self.customer.credit_hold)

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestCreditReview(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_45 = cls.env["account.payment.term"].create(
            {
                "name": "45 Days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 45}
                    )
                ],
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="cd_review_portal",
            name="Paula Portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        cls.newcomer = cls._make_customer("Nouveau SAS", "nouveau@example.com")

    def _draft_review(self, user=None, partner=None, **values):
        return (
            self.env["credit.review"]
            .with_user(user or self.collector)
            .create(
                {
                    # a contact is picked: the review goes to its company
                    "partner_id": (partner or self.contact).id,
                    "credit_limit": 20000,
                    "payment_term_id": self.term_45.id,
                    "deposit_percent": 0,
                    "next_review_date": "2026-09-15",
                    "reference_ids": [
                        Command.create(
                            {
                                "kind": "insurer",
                                "name": "Allianz Trade",
                                "contact": "Mme Roux",
                                "insurer_cover": 15000,
                            }
                        ),
                        Command.create(
                            {
                                "kind": "supplier",
                                "name": "Acier Lyonnais",
                                "notes": "Pays at 30 days, never late",
                            }
                        ),
                        Command.create(
                            {
                                "kind": "rating",
                                "name": "Banque de France",
                                "rating": "4+",
                            }
                        ),
                    ],
                    **values,
                }
            )
        )

    def _approve(self, review, user=None):
        review.with_user(user or self.credit_manager).action_approve()

    def test_collector_records_manager_approves(self):
        self.customer.credit_limit = 5000
        review = self._draft_review()
        self.assertEqual(review.partner_id, self.customer)
        self.assertEqual(review.state, "draft")
        self.assertEqual(len(review.reference_ids), 3)
        self.assertEqual(review.reviewer_id, self.collector)
        # nothing changes on the customer before the approval
        self.assertEqual(self.customer.credit_limit, 5000)
        # a collector records, a credit manager decides
        with self.assertRaises(AccessError):
            review.with_user(self.collector).action_approve()
        with self.assertRaises(AccessError):
            review.with_user(self.collector).write({"state": "done"})
        self.assertEqual(review.state, "draft")
        self._approve(review)
        self.assertEqual(review.state, "done")
        self.assertEqual(review.approved_by_id, self.credit_manager)
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.credit_limit, 20000)
        self.assertEqual(customer.property_payment_term_id, self.term_45)
        note = customer.message_ids.filtered(
            lambda m: "Credit review of" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.credit_manager.partner_id)
        for text in (
            "approved by Marc Credit Manager",
            "$&nbsp;5,000.00 → $&nbsp;20,000.00",
            "→ 45 Days",
            "Next review: 09/15/2026",
        ):
            self.assertIn(text, note.body)
        # the contacts see the decision of their company
        self.assertEqual(self.contact.with_company(self.company).credit_limit, 20000)
        # an approved review is history: a collector changes nothing
        with self.assertRaises(AccessError):
            review.with_user(self.collector).write({"credit_limit": 1})
        with self.assertRaises(AccessError):
            review.reference_ids[0].with_user(self.collector).write({"rating": "1"})
        with self.assertRaises(UserError):
            review.with_user(self.credit_manager).action_approve()
        with self.assertRaises(UserError):
            review.with_user(self.credit_manager).unlink()
        # the tab's figures
        partner = self.customer.with_user(self.collector)
        self.assertEqual(partner.credit_last_review_id, review)
        self.assertEqual(partner.credit_next_review_date, date(2026, 9, 15))
        self.assertEqual(partner.credit_review_count, 1)

    def test_next_review_is_an_activity(self):
        review = self._draft_review()
        self._approve(review)
        activity_type = self.env.ref("credit_dunning.mail_activity_type_credit_review")
        activity = self._activities(
            self.customer, "credit_dunning.mail_activity_type_credit_review"
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collector)  # the reviewer
        self.assertEqual(activity.date_deadline, date(2026, 9, 15))
        self.assertEqual(activity.activity_type_id, activity_type)
        # the next review closes it and plans the one after; a reviewer
        # who left hands over to the customer's collector
        self.customer.with_company(
            self.company
        ).credit_collector_id = self.credit_manager
        with freeze_time("2026-09-14"):
            second = self._draft_review(
                next_review_date="2027-03-14", reviewer_id=self.portal_user.id
            )
            self._approve(second)
        activity = self._activities(
            self.customer, "credit_dunning.mail_activity_type_credit_review"
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2027, 3, 14))
        self.assertEqual(activity.user_id, self.credit_manager)
        done = self.customer.message_ids.filtered(
            lambda m: m.mail_activity_type_id == activity_type
        )
        self.assertEqual(len(done), 1, "the first review's activity is done")

    def test_dates_and_figures_are_checked(self):
        with self.assertRaises(ValidationError):
            self._draft_review(next_review_date="2026-03-01")
        with self.assertRaises(ValidationError):
            self._draft_review(deposit_percent=120)
        with self.assertRaises(ValidationError):
            self._draft_review(credit_limit=-1)

    def test_salesperson_and_portal_see_no_review(self):
        review = self._draft_review()
        for user in (self.salesman, self.portal_user):
            with self.subTest(user=user.login):
                Review = self.env["credit.review"].with_user(user)
                with self.assertRaises(AccessError):
                    Review.search([])
                with self.assertRaises(AccessError):
                    review.with_user(user).read(["credit_limit"])
                with self.assertRaises(AccessError):
                    Review.create({"partner_id": self.customer.id})
                with self.assertRaises(AccessError):
                    review.with_user(user).action_approve()
                with self.assertRaises(AccessError):
                    self.env["credit.review.reference"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).action_open_credit_reviews()
        self.assertEqual(review.state, "draft")
        # a collector opens them from the customer
        action = self.customer.with_user(self.collector).action_open_credit_reviews()
        self.assertEqual(self.env["credit.review"].search(action["domain"]), review)

    # ------------------------------------------------------------------
    # New customers: a review before a big first order
    # ------------------------------------------------------------------
    def _confirm_refused(self, order):
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        return str(error.exception)

    def test_new_customer_big_first_order_waits_for_review(self):
        self.company.credit_review_threshold = 5000
        order = self._order(self.newcomer, 6000)
        message = self._confirm_refused(order)
        self.assertIn("Credit control refuses the confirmation", message)
        self.assertIn(
            "new customer without an approved credit review: orders of "
            "$\xa06,000.00 exceed the review threshold of $\xa05,000.00",
            message,
        )
        self.assertIn("a credit manager approves a credit review", message)
        self.assertIn("new customer", order.credit_check_message)
        # a small first order goes through; the second one counts with it
        small = self._order(self.newcomer, 3000)
        small.with_user(self.salesman).action_confirm()
        self.assertEqual(small.state, "sale")
        second = self._order(self.newcomer, 2500)
        self.assertIn("orders of $\xa05,500.00", self._confirm_refused(second))
        # the review approved, the customer is known
        review = self._draft_review(partner=self.newcomer, credit_limit=0)
        self._approve(review)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_known_customers_and_rule_off(self):
        known = self._make_customer("Ancien SA")
        self._invoice(known, 100, "2026-03-01")
        self.company.credit_review_threshold = 5000
        order = self._order(known, 9000)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.company.credit_review_threshold = 0
        order = self._order(self.newcomer, 9000)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_review_of_another_company_does_not_count(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.credit_manager.company_ids |= other
        self.collector.company_ids |= other
        review = self._draft_review(partner=self.newcomer, company_id=other.id)
        self._approve(review)
        self.company.credit_review_threshold = 5000
        order = self._order(self.newcomer, 6000)
        self._confirm_refused(order)

    def test_manager_override_of_the_review_rule(self):
        self.company.credit_review_threshold = 5000
        order = self._order(self.newcomer, 6000)
        self._confirm_refused(order)
        wizard = (
            self.env["credit.override.wizard"]
            .with_user(self.credit_manager)
            .create({"order_id": order.id, "reason": "Known group, CFO agreed"})
        )
        self.assertIn("new customer without an approved credit review", wizard.problems)
        wizard.action_approve()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

from odoo.tests import HttpCase, tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestAgencyTours(CreditDunningCommon, HttpCase):
    """A credit manager places a customer with a collection agency from its
    form (static/tests/tours/credit_agency_place.js)."""

    def test_credit_manager_places_a_customer_with_an_agency(self):
        agency = self.env["res.partner"].create(
            {
                "name": "Recouvra SAS",
                "is_company": True,
                "credit_agency": True,
                "credit_agency_fee_rate": 15.0,
            }
        )
        invoice = self._invoice(self.customer, 1000, "2025-01-01", due="2025-01-31")
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "credit_agency_place",
            login=self.credit_manager.login,
        )
        placement = self.customer.credit_agency_placement_ids
        self.assertEqual(len(placement), 1)
        self.assertEqual(placement.agency_id, agency)
        self.assertEqual(placement.reference, "RS-2026-0042")
        self.assertEqual(placement.move_ids, invoice)
        self.assertEqual(placement.amount_placed, 1000)
        self.assertTrue(placement.whole_account)
        self.assertIn("RS-2026-0042", self.customer.message_ids[0].body)
        self.assertEqual(
            self.customer.message_ids[0].author_id, self.credit_manager.partner_id
        )

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.credit_dunning.tests.common import CreditDunningCommon


class CreditWebshopCommon(CreditDunningCommon):
    """The company's website with the demo provider (card) and wire transfer,
    a service sold online, and a portal buyer of the customer with a cart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the website the test server answers on, selling for the test company
        cls.website = cls.env.ref("website.default_website")
        cls.website.company_id = cls.company
        Provider = cls.env["payment.provider"].sudo()
        Provider.search([("company_id", "=", cls.company.id)]).state = "disabled"
        cls.demo = Provider.search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.demo.write(
            {"state": "test", "is_published": True, "allow_express_checkout": True}
        )
        cls.wire = Provider.search(
            [
                ("code", "=", "custom"),
                ("custom_mode", "=", "wire_transfer"),
                ("company_id", "=", cls.company.id),
            ],
            limit=1,
        )
        cls.wire.write({"state": "enabled", "is_published": True})
        cls.shop_product = cls._create_product(
            name="Annual Maintenance",
            type="service",
            lst_price=250.0,
            taxes_id=[],
            is_published=True,
        )
        cls.buyer = new_test_user(
            cls.env,
            login="cd_buyer",
            name="Bruno Buyer",
            email="bruno@dupont.example.com",
            groups="base.group_portal",
        )
        cls.buyer.partner_id.write(
            {
                "parent_id": cls.customer.id,
                "type": "contact",
                "street": "1 rue de la Paix",
                "city": "Bruxelles",
                "zip": "1000",
                "country_id": cls.env.ref("base.be").id,
                "phone": "+32 2 000 00 00",
            }
        )
        cls.customer.write(
            {
                "street": "1 rue de la Paix",
                "city": "Bruxelles",
                "zip": "1000",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.portal_user = new_test_user(
            cls.env, login="cd_portal", name="Paula Portal", groups="base.group_portal"
        )

    @classmethod
    def _cart(cls, partner=None, amount=250.0):
        """A draft webshop order, as the cart of the partner's next visit."""
        partner = partner or cls.buyer.partner_id
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "website_id": cls.website.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.shop_product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _overdue_invoice(cls, partner, amount):
        today = fields.Date.today()
        return cls._invoice(
            partner,
            amount,
            today - timedelta(days=60),
            due=today - timedelta(days=30),
        )

    @classmethod
    def _hold(cls, partner):
        partner.with_user(cls.credit_manager)._credit_set_flags(
            "insurer withdrew cover", credit_hold=True
        )

    @classmethod
    def _paid_online(cls, order, provider=None):
        """The customer pays the order in full online: a done transaction,
        post-processed as the payment's status page does."""
        tx = (
            cls.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": (provider or cls.demo).id,
                    "payment_method_id": (provider or cls.demo)
                    .payment_method_ids[:1]
                    .id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_invoice_id.id,
                    "reference": f"{order.name}-web",
                    "operation": "online_direct",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        tx._set_done()
        tx._post_process()
        return tx

    def _credit_tasks(self, order):
        return self._activities(
            order, "credit_dunning.mail_activity_type_credit_blocked"
        )

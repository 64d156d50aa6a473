from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.credit_dunning.tests.common import CreditDunningCommon


class CreditDeliveryCommon(CreditDunningCommon):
    """A warehouse user, a held customer's confirmed orders and their
    deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(
            cls.env,
            login="cd_stock_user",
            name="Walter Warehouse",
            email="walter@example.com",
            groups="stock.group_stock_user",
        )
        if "delivery.zip.prefix" in cls.env:
            # with Odoo's shipping methods (the webshop brings them), a
            # delivery's form reads data that Inventory / User alone may not
            # (delivery.zip.prefix, readable by salespeople), so the
            # warehouse user also reads the sales
            cls.stock_user.group_ids += cls.env.ref(
                "sales_team.group_sale_salesman_all_leads"
            )
        cls.portal_user = new_test_user(
            cls.env, login="cd_portal", name="Paula Portal", groups="base.group_portal"
        )
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.activity_type = cls.env.ref(
            "credit_dunning.mail_activity_type_credit_blocked"
        )

    @classmethod
    def _delivery(cls, partner, amount=100.0, payment_term=None):
        order = cls._order(partner, amount, confirm=True, payment_term=payment_term)
        return order.picking_ids

    @classmethod
    def _loose_delivery(cls, partner):
        """A delivery made in Inventory, without a sales order."""
        picking_type = cls.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", cls.env.company.id)],
            limit=1,
        )
        return cls.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": picking_type.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "location_id": picking_type.default_location_src_id.id,
                            "location_dest_id": cls.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )

    def _after_rollback(self):
        with self.enter_registry_test_mode():
            self.env.cr.postrollback.run()
        self.env.invalidate_all()

    def _credit_activities(self, pickings):
        return pickings.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )

    def _validate(self, pickings, user=None):
        return pickings.with_user(user or self.stock_user).button_validate()

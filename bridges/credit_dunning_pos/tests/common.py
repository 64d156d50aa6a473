from uuid import uuid4

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.credit_dunning_stock.tests.common import CreditDeliveryCommon


class PosCreditCommon(CreditDeliveryCommon):
    """A Point of Sale with cash, card and Customer Account, a cashier, a
    Point of Sale manager, and customers on hold, cash-only and with a
    limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.user.group_ids |= env.ref("point_of_sale.group_pos_manager")
        cls.cashier = new_test_user(
            env,
            login="cd_cashier",
            name="Carla Cashier",
            groups="point_of_sale.group_pos_user,stock.group_stock_user",
        )
        cls.pos_manager = new_test_user(
            env,
            login="cd_pos_manager",
            name="Marc Manager",
            groups="point_of_sale.group_pos_manager,stock.group_stock_user",
        )
        cls.cash_pm = env["pos.payment.method"].create(
            {
                "name": "Cash",
                "journal_id": cls.company_data["default_journal_cash"].id,
            }
        )
        cls.card_pm = env["pos.payment.method"].create(
            {
                "name": "Card",
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        cls.account_pm = env["pos.payment.method"].create(
            {"name": "Customer Account", "split_transactions": True}
        )
        cls.config = env["pos.config"].create(
            {
                "name": "Counter",
                "payment_method_ids": [
                    Command.set((cls.cash_pm | cls.card_pm | cls.account_pm).ids)
                ],
            }
        )
        cls.pos_product = env["product.product"].create(
            {
                "name": "POS Widget",
                "is_storable": True,
                "available_in_pos": True,
                "lst_price": 40.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.held = cls._make_customer("Held Customer")
        cls.cash_only = cls._make_customer("Cash Only Customer")
        cls.limited = cls._make_customer("Limited Customer", credit_limit=500.0)
        # a sales order of the held customer, confirmed before the hold
        cls.held_delivery = cls._delivery(cls.held, 100)
        cls.company.credit_block_overdue = True
        cls._invoice(
            cls.held,
            1250,
            fields.Date.add(fields.Date.today(), days=-60),
            due=fields.Date.add(fields.Date.today(), days=-30),
        )
        cls._invoice(cls.limited, 300, fields.Date.today())
        managed = cls.env["res.partner"].with_user(cls.credit_manager)
        managed.browse(cls.held.id)._credit_set_flags(
            "insurer withdrew cover", credit_hold=True
        )
        managed.browse(cls.cash_only.id)._credit_set_flags(
            "bounced cheques", cash_only=True
        )

    @classmethod
    def _open_session(cls, user=None):
        cls.config.with_user(user or cls.cashier).open_ui()
        session = cls.config.current_session_id
        session.set_opening_control(0, None)
        return session

    def _sync(
        self,
        partner,
        payments,
        user=None,
        qty=1,
        approval=None,
        draft=False,
        invoice=False,
    ):
        """The order a till sends: ``qty`` POS Widgets for ``partner`` paid by
        ``payments`` [(method, amount)], synchronised as ``user``."""
        user = user or self.cashier
        total = 40.0 * qty
        now = fields.Datetime.to_string(fields.Datetime.now())
        data = {
            "amount_paid": sum(amount for _pm, amount in payments),
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": now,
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": "Order from the till",
            "last_order_preparation_change": "{}",
            "lines": [
                Command.create(
                    {
                        "product_id": self.pos_product.id,
                        "qty": qty,
                        "price_unit": 40.0,
                        "price_subtotal": total,
                        "price_subtotal_incl": total,
                        "discount": 0,
                        "tax_ids": [],
                    }
                )
            ],
            "partner_id": partner.id if partner else False,
            "session_id": self.config.current_session_id.id,
            "payment_ids": [
                Command.create(
                    {"amount": amount, "name": now, "payment_method_id": pm.id}
                )
                for pm, amount in payments
            ],
            "uuid": str(uuid4()),
            "user_id": user.id,
            "to_invoice": invoice,
        }
        # the till sends the order as paid
        data["state"] = "draft" if draft else "paid"
        if approval:
            data["credit_pos_approval_reason"] = approval
        result = self.env["pos.order"].with_user(user).sync_from_ui([data])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _pos_activities(self, orders):
        return orders.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )

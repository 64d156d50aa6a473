from datetime import date, timedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditDunningCommon(AccountTestInvoicingCommon):
    """Users, a customer company with contacts, and helpers to make invoices,
    orders and payments at chosen dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.company.account_use_credit_limit = True
        # what the reminders print: the address, the sender, the bank account
        cls.company.write(
            {
                "street": "12 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "email": "credit@company.example.com",
            }
        )
        # the tests' own rate of the first half of 2026 (over the published one)
        cls.env["credit.reference.rate"].create(
            {"date_from": "2026-01-01", "rate": 2.0, "company_id": cls.company.id}
        )
        cls.company_bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.company.partner_id.id,
            }
        )
        cls.env.user.group_ids |= cls.env.ref("sales_team.group_sale_manager")
        cls.sales_manager = new_test_user(
            cls.env,
            login="cd_sales_manager",
            name="Sales Manager",
            email="sales.manager@example.com",
            groups="sales_team.group_sale_manager",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cd_salesman",
            name="Sam Salesman",
            email="sam@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.other_salesman = new_test_user(
            cls.env,
            login="cd_salesman_2",
            name="Olga Salesman",
            email="olga@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.collector = new_test_user(
            cls.env,
            login="cd_collector",
            name="Colette Collector",
            email="colette@example.com",
            groups="credit_dunning.group_credit_control_user,sales_team.group_sale_salesman",
        )
        cls.credit_manager = new_test_user(
            cls.env,
            login="cd_credit_manager",
            name="Marc Credit Manager",
            email="marc@example.com",
            groups="credit_dunning.group_credit_control_manager,"
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.internal_user = new_test_user(
            cls.env, login="cd_internal", name="Ines Internal", groups="base.group_user"
        )
        cls.team = (
            cls.env["crm.team"]
            .sudo()
            .create(
                {
                    "name": "Team Credit",
                    "user_id": cls.sales_manager.id,
                    "member_ids": [
                        Command.link(cls.salesman.id),
                        Command.link(cls.other_salesman.id),
                    ],
                }
            )
        )
        cls.customer = cls._make_customer("Dupont Industrie", "dupont@example.com")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Jean Dupont", "parent_id": cls.customer.id, "type": "contact"}
        )
        cls.product = cls._create_product(name="Widget", lst_price=100.0, taxes_id=[])

    @classmethod
    def _french_customer(cls):
        """French activated with the module's translations, and a French-
        speaking customer."""
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["credit_dunning"], ["fr_FR"], overwrite=True
        )
        return cls._make_customer(
            "Martin SARL", email="compta@martin.example.com", lang="fr_FR"
        )

    @classmethod
    def _make_customer(cls, name, email=None, salesman=None, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": email,
                "user_id": (salesman or cls.salesman).id,
                "customer_rank": 1,
                "property_payment_term_id": False,
                **values,
            }
        )

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        invoice_date,
        due=None,
        currency=None,
        post=True,
        move_type="out_invoice",
        company=None,
    ):
        invoice_date = (
            invoice_date
            if isinstance(invoice_date, date)
            else date.fromisoformat(invoice_date)
        )
        due = due if isinstance(due, date) or due is None else date.fromisoformat(due)
        move = (
            cls.env["account.move"]
            .with_company(company or cls.env.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "date": invoice_date,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": due or invoice_date + timedelta(days=30),
                    "currency_id": (
                        currency or (company or cls.env.company).currency_id
                    ).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Goods",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _order(
        cls, partner, amount, confirm=False, currency=None, payment_term=None, user=None
    ):
        values = {
            "partner_id": partner.id,
            "user_id": (user or cls.salesman).id,
            "payment_term_id": payment_term.id if payment_term else False,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                        "tax_ids": [],
                    }
                )
            ],
        }
        if currency:
            pricelist = cls.env["product.pricelist"].create(
                {"name": f"Pricelist {currency.name}", "currency_id": currency.id}
            )
            values["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(values)
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _pay(cls, invoice, amount=None, pay_date=None):
        values = {"payment_date": pay_date or invoice.invoice_date}
        if amount is not None:
            values["amount"] = amount
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(values)
            ._create_payments()
        )

    def _activities(self, records, xmlid):
        """The activities of ``records`` of the activity type ``xmlid``."""
        activity_type = self.env.ref(xmlid)
        return records.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def _set_flags(self, partner, **flags):
        partner.with_user(self.credit_manager)._credit_set_flags("test", **flags)

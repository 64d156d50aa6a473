from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount, format_date

from ...credit_control.rights import check_credit_rights


class CreditAgencyRecoveryWizard(models.TransientModel):
    """What the agency recovered, booked as Odoo does: a customer payment
    reconciled with the placed invoices, and the agency's fee as its vendor
    bill."""

    _name = "credit.agency.recovery.wizard"
    _description = "Book an Agency Recovery"

    placement_id = fields.Many2one("credit.agency.placement", required=True)
    company_id = fields.Many2one(related="placement_id.company_id")
    currency_id = fields.Many2one(related="placement_id.currency_id")
    amount_open = fields.Monetary(related="placement_id.amount_open")
    amount = fields.Monetary(
        string="Amount Recovered",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="Received from the agency for this file, before its fee.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        string="Payment Journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )
    fee_rate = fields.Float(
        related="placement_id.agency_id.credit_agency_fee_rate", string="Fee Rate (%)"
    )
    fee_amount = fields.Monetary(
        string="Agency Fee", compute="_compute_fee_amount", store=True, readonly=False
    )
    fee_account_id = fields.Many2one(
        "account.account",
        compute="_compute_fee_account_id",
        store=True,
        readonly=False,
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )

    @api.depends("placement_id")
    def _compute_amount(self):
        for wizard in self:
            placement = wizard.placement_id
            amount = placement.amount_to_book or placement.amount_open
            wizard.amount = min(amount, placement.amount_open)

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = self.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", wizard.company_id.id)],
                limit=1,
            )

    @api.depends("amount", "fee_rate")
    def _compute_fee_amount(self):
        for wizard in self:
            wizard.fee_amount = wizard.currency_id.round(
                wizard.amount * wizard.fee_rate / 100
            )

    @api.depends("company_id")
    def _compute_fee_account_id(self):
        for wizard in self:
            wizard.fee_account_id = wizard.company_id.expense_account_id

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can book an agency's recoveries."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def action_book(self):
        self._check_manager()
        self.ensure_one()
        placement = self.placement_id.sudo()
        currency = placement.currency_id
        if currency.compare_amounts(self.amount, 0) <= 0:
            raise UserError(self.env._("Enter the amount the agency recovered."))
        if currency.compare_amounts(self.amount, placement.amount_open) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the %(open)s the placed invoices still "
                    "owe.",
                    amount=format_amount(self.env, self.amount, currency),
                    open=format_amount(self.env, placement.amount_open, currency),
                )
            )
        if float_compare(self.fee_amount, 0, precision_rounding=currency.rounding) < 0:
            raise UserError(self.env._("The agency's fee cannot be negative."))
        if not self.journal_id:
            raise UserError(self.env._("Choose the journal the payment is booked in."))
        if not currency.is_zero(self.fee_amount) and not self.fee_account_id:
            raise UserError(self.env._("Choose the expense account of the fee."))
        payment = self._book_payment(placement)
        fee_bill = self._book_fee(placement)
        placement.write(
            {
                "amount_recovered": placement.amount_recovered + self.amount,
                "amount_fee": placement.amount_fee + self.fee_amount,
                "payment_ids": [Command.link(payment.id)],
                "fee_move_ids": [Command.link(fee_bill.id)] if fee_bill else [],
            }
        )
        placement._log(
            self.env._(
                "Recovery of %(amount)s booked on %(date)s (payment %(payment)s); "
                "agency fee %(fee)s%(bill)s.",
                amount=format_amount(self.env, self.amount, currency),
                date=format_date(self.env, self.date),
                payment=payment.name,
                fee=format_amount(self.env, self.fee_amount, currency),
                bill=f" ({fee_bill.name})" if fee_bill else "",
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _book_payment(self, placement):
        """One inbound payment of the customer, reconciled with the placed
        invoices, oldest due first, through Odoo's Register Payment."""
        invoices = placement.move_ids.filtered(
            lambda m: m.payment_state in ("not_paid", "partial")
        ).sorted("invoice_date_due")
        register = (
            self.env["account.payment.register"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "payment_date": self.date,
                    "journal_id": self.journal_id.id,
                    "amount": self.amount,
                    "currency_id": placement.currency_id.id,
                    "group_payment": True,
                    "payment_difference_handling": "open",
                    "communication": self.env._(
                        "%(agency)s file %(ref)s",
                        agency=placement.agency_id.name,
                        ref=placement.reference,
                    ),
                }
            )
        )
        return register._create_payments()

    def _book_fee(self, placement):
        if placement.currency_id.is_zero(self.fee_amount):
            return self.env["account.move"]
        bill = (
            self.env["account.move"]
            .sudo()
            .with_company(placement.company_id)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": placement.agency_id.id,
                    "invoice_date": self.date,
                    "date": self.date,
                    "ref": placement.reference,
                    "currency_id": placement.currency_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "Collection fee, file %(ref)s (%(customer)s): "
                                    "%(rate)s%% of %(amount)s",
                                    ref=placement.reference,
                                    customer=placement.partner_id.name,
                                    rate=self.fee_rate,
                                    amount=format_amount(
                                        self.env, self.amount, placement.currency_id
                                    ),
                                ),
                                "quantity": 1,
                                "price_unit": self.fee_amount,
                                "account_id": self.fee_account_id.id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        bill.action_post()
        return bill

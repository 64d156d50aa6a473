from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from ...credit_control.rights import check_credit_rights


class CreditInsolvencyDividendWizard(models.TransientModel):
    """A dividend paid by the proceedings, booked as the agency's
    recoveries are: one customer payment reconciled with the claims'
    invoices, oldest due first."""

    _name = "credit.insolvency.dividend.wizard"
    _description = "Book a Dividend from Insolvency Proceedings"

    proceeding_id = fields.Many2one("credit.insolvency.proceeding", required=True)
    company_id = fields.Many2one(related="proceeding_id.company_id")
    currency_id = fields.Many2one(related="proceeding_id.currency_id")
    amount_at_stake = fields.Monetary(related="proceeding_id.amount_at_stake")
    amount = fields.Monetary(string="Dividend", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        string="Payment Journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = self.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", wizard.company_id.id)],
                limit=1,
            )

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can book a dividend."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def action_book(self):
        self._check_manager()
        self.ensure_one()
        # the proceedings as the user reads them (record rules), then sudo
        self.proceeding_id.check_access("read")
        proceeding = self.proceeding_id.sudo()
        currency = proceeding.currency_id
        if self.journal_id and self.journal_id.company_id != proceeding.company_id:
            raise UserError(
                self.env._(
                    "Book the dividend in a journal of %s.", proceeding.company_id.name
                )
            )
        invoices = proceeding.move_ids.filtered(
            lambda m: m.move_type == "out_invoice"
        ).sorted(lambda m: (m.invoice_date_due, m.id))
        owed = sum(invoices.mapped("amount_residual_signed"))
        if currency.compare_amounts(self.amount, 0) <= 0:
            raise UserError(self.env._("Enter the dividend received."))
        if currency.compare_amounts(self.amount, owed) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the %(open)s the claims' invoices "
                    "still owe.",
                    amount=format_amount(self.env, self.amount, currency),
                    open=format_amount(self.env, owed, currency),
                )
            )
        if not self.journal_id:
            raise UserError(self.env._("Choose the journal the payment is booked in."))
        register = (
            self.env["account.payment.register"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "payment_date": self.date,
                    "journal_id": self.journal_id.id,
                    "amount": self.amount,
                    "currency_id": currency.id,
                    "group_payment": True,
                    "payment_difference_handling": "open",
                    "communication": self.env._(
                        "Dividend, %(kind)s of %(customer)s",
                        kind=proceeding._kind_label(),
                        customer=proceeding.partner_id.name,
                    ),
                }
            )
        )
        payment = register._create_payments()
        vals = {
            "amount_dividends": proceeding.amount_dividends + self.amount,
            "payment_ids": [Command.link(payment.id)],
        }
        proceeding.invalidate_recordset(["move_ids", "amount_at_stake"])
        if currency.is_zero(proceeding.amount_at_stake):
            vals["claim_state"] = "paid"
        proceeding.write(vals)
        body = self.env._(
            "Dividend of %(amount)s booked on %(date)s (payment %(payment)s).",
            amount=format_amount(self.env, self.amount, currency),
            date=format_date(self.env, self.date),
            payment=payment.name,
        )
        proceeding.message_post(body=body, subtype_xmlid="mail.mt_note")
        proceeding.partner_id._credit_log_note(body)
        return {"type": "ir.actions.act_window_close"}

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from ...credit_control.rights import check_credit_rights


class CreditAgencyWriteoffWizard(models.TransientModel):
    """What the agency could not recover, written off as Odoo does: a journal
    entry that credits the receivable of each placed invoice (reconciled with
    it) and debits the bad debt account chosen."""

    _name = "credit.agency.writeoff.wizard"
    _description = "Write Off an Agency File"

    placement_id = fields.Many2one("credit.agency.placement", required=True)
    company_id = fields.Many2one(related="placement_id.company_id")
    currency_id = fields.Many2one(related="placement_id.currency_id")
    amount = fields.Monetary(
        string="Amount Written Off", related="placement_id.amount_open"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        required=True,
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )
    journal_id = fields.Many2one(
        "account.journal",
        compute="_compute_journal_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
    )
    reason = fields.Char(required=True)

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = self.env["account.journal"].search(
                [("type", "=", "general"), ("company_id", "=", wizard.company_id.id)],
                limit=1,
            )

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can write off an agency's file."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def action_write_off(self):
        self._check_manager()
        self.ensure_one()
        placement = self.placement_id.sudo()
        currency = placement.currency_id
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the rest is written off."))
        receivables = placement.move_ids.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
                and not line.company_currency_id.is_zero(line.amount_residual)
            )
        )
        if not receivables:
            raise UserError(self.env._("Nothing is owed any more on this file."))
        label = self.env._(
            "Write-off, file %(ref)s (%(agency)s): %(reason)s",
            ref=placement.reference,
            agency=placement.agency_id.name,
            reason=self.reason.strip(),
        )
        total = sum(receivables.mapped("amount_residual"))
        lines = [
            Command.create(
                {
                    "name": label,
                    "partner_id": line.partner_id.id,
                    "account_id": line.account_id.id,
                    "currency_id": line.currency_id.id,
                    "amount_currency": -line.amount_residual_currency,
                    "balance": -line.amount_residual,
                }
            )
            for line in receivables
        ]
        lines.append(
            Command.create(
                {
                    "name": label,
                    "partner_id": placement.partner_id.id,
                    "account_id": self.account_id.id,
                    "balance": total,
                }
            )
        )
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(placement.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.journal_id.id,
                    "date": self.date,
                    "ref": label,
                    "line_ids": lines,
                }
            )
        )
        move.action_post()
        for line in receivables:
            counterpart = move.line_ids.filtered(
                lambda ml, line=line: (
                    ml.account_id == line.account_id
                    and ml.partner_id == line.partner_id
                    and not ml.reconciled
                    and ml.company_currency_id.compare_amounts(
                        ml.amount_residual, -line.amount_residual
                    )
                    == 0
                )
            )[:1]
            (line | counterpart).reconcile()
        placement.write(
            {
                "amount_written_off": placement.amount_written_off + total,
                "writeoff_move_ids": [Command.link(move.id)],
            }
        )
        placement._log(
            self.env._(
                "%(amount)s written off on %(date)s (%(move)s): %(reason)s",
                amount=format_amount(self.env, total, currency),
                date=format_date(self.env, self.date),
                move=move.name,
                reason=self.reason.strip(),
            )
        )
        return {"type": "ir.actions.act_window_close"}

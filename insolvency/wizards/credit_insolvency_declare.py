from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from ...credit_control.rights import check_credit_rights


class CreditInsolvencyDeclareWizard(models.TransientModel):
    """The declaration of claim sent to the court's representative: its
    date and amount recorded on the proceedings, the PDF kept with them, and
    the "Declare the claim" tasks done."""

    _name = "credit.insolvency.declare.wizard"
    _description = "Record a Declaration of Claim"

    proceeding_id = fields.Many2one("credit.insolvency.proceeding", required=True)
    currency_id = fields.Many2one(related="proceeding_id.currency_id")
    declare_deadline = fields.Date(related="proceeding_id.declare_deadline")
    date = fields.Date(
        string="Sent On", required=True, default=fields.Date.context_today
    )
    amount = fields.Monetary(
        string="Amount Declared",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="The declaration's total: principal, interest and indemnities at "
        "the judgment date.",
    )
    representative = fields.Char(
        string="Court Representative",
        compute="_compute_representative",
        store=True,
        readonly=False,
    )

    @api.depends("proceeding_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = (
                wizard.proceeding_id.sudo()._declaration_values()["total"]
                if wizard.proceeding_id
                else 0.0
            )

    @api.depends("proceeding_id")
    def _compute_representative(self):
        for wizard in self:
            wizard.representative = wizard.proceeding_id.representative

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can record a declaration of claim."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def action_record(self):
        self._check_manager()
        self.ensure_one()
        proceeding = self.proceeding_id
        currency = proceeding.currency_id
        if currency.compare_amounts(self.amount, 0) <= 0:
            raise UserError(self.env._("Enter the amount declared."))
        if self.date > fields.Date.context_today(self):
            raise UserError(self.env._("A declaration cannot be sent in the future."))
        if self.date < proceeding.judgment_date:
            raise UserError(
                self.env._(
                    "A claim is declared after the opening judgment of %s.",
                    format_date(self.env, proceeding.judgment_date),
                )
            )
        attachment = proceeding._render_declaration()
        proceeding.write(
            {
                "claim_state": "declared",
                "claim_date": self.date,
                "claim_amount": self.amount,
                "representative": self.representative or proceeding.representative,
                "declaration_attachment_id": attachment.id,
            }
        )
        late = self.date > proceeding.declare_deadline
        body = self.env._(
            "Claim of %(amount)s declared on %(date)s to %(to)s.%(late)s",
            amount=format_amount(self.env, self.amount, currency),
            date=format_date(self.env, self.date),
            to=self.representative or self.env._("the court's representative"),
            late=self.env._(
                " After the deadline of %s: ask the judge to lift the "
                "foreclosure (relevé de forclusion).",
                format_date(self.env, proceeding.declare_deadline),
            )
            if late
            else "",
        )
        proceeding.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachment.ids,
        )
        proceeding.partner_id._credit_log_note(body)
        proceeding._done_activities(
            "credit_dunning.mail_activity_type_insolvency_declare", body
        )
        return {"type": "ir.actions.act_window_close"}

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from ...credit_control.rights import check_credit_rights


class CreditAgencyPlaceWizard(models.TransientModel):
    _name = "credit.agency.place.wizard"
    _description = "Place with a Collection Agency"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    agency_id = fields.Many2one(
        "res.partner",
        required=True,
        domain=[("credit_agency", "=", True)],
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    reference = fields.Char(
        required=True, help="The file's reference, as the agency knows it."
    )
    whole_account = fields.Boolean(
        help="Placed from the customer: the ladder stops for all its invoices."
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id),"
        " ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('payment_state', 'in', ('not_paid', 'partial')),"
        " ('company_id', '=', company_id)]",
    )
    amount = fields.Monetary(string="Amount Placed", compute="_compute_amount")

    @api.depends("move_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.move_ids.mapped("amount_residual_signed"))

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can place customers with an agency."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    @api.model
    def _open_for(self, partner, moves=None, whole_account=False):
        """The wizard for ``partner``: its open overdue invoices, or ``moves``."""
        if moves is None:
            today = fields.Date.context_today(self)
            moves = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", today),
                    ("company_id", "=", self.env.company.id),
                    ("credit_agency_placement_ids", "=", False),
                ]
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Place with Agency"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_move_ids": moves.ids,
                "default_whole_account": whole_account,
            },
        }

    def action_place(self):
        self._check_manager()
        self.ensure_one()
        placement = self._place()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.agency.placement",
            "res_id": placement.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _place(self):
        self._check_invoices()
        Placement = self.env["credit.agency.placement"].sudo()
        if Placement.search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("agency_id", "=", self.agency_id.id),
                ("reference", "=", self.reference.strip()),
            ]
        ):
            raise UserError(
                self.env._(
                    "%(agency)s already has a file with the reference “%(ref)s”.",
                    agency=self.agency_id.display_name,
                    ref=self.reference,
                )
            )
        placement = Placement.create(
            {
                "reference": self.reference.strip(),
                "partner_id": self.partner_id.commercial_partner_id.id,
                "agency_id": self.agency_id.id,
                "company_id": self.company_id.id,
                "date": self.date,
                "whole_account": self.whole_account,
                "move_ids": [fields.Command.set(self.move_ids.ids)],
                "amount_placed": self.amount,
            }
        )
        placement._log(
            Markup("%s<ul>%s</ul>")
            % (
                self.env._(
                    "Placed with the collection agency %(agency)s on %(date)s, "
                    "reference %(ref)s, for %(amount)s: the dunning ladder stops "
                    "for %(what)s.",
                    agency=self.agency_id.display_name,
                    date=format_date(self.env, self.date),
                    ref=placement.reference,
                    amount=format_amount(self.env, self.amount, self.currency_id),
                    what=self.env._("the whole account")
                    if self.whole_account
                    else self.env._("these invoices"),
                ),
                Markup().join(
                    Markup("<li>%s</li>") % move.name for move in self.move_ids
                ),
            )
        )
        return placement.sudo(False)

    def _check_invoices(self):
        if not self.agency_id.credit_agency:
            raise UserError(
                self.env._(
                    "%s is not a collection agency: tick “Collection Agency” on "
                    "its contact first.",
                    self.agency_id.display_name,
                )
            )
        if not self.move_ids:
            raise UserError(
                self.env._("Choose the invoices to place: the customer has none open.")
            )
        partner = self.partner_id.commercial_partner_id
        wrong = self.move_ids.filtered(
            lambda m: (
                m.commercial_partner_id != partner
                or m.move_type != "out_invoice"
                or m.state != "posted"
                or m.payment_state not in ("not_paid", "partial")
                or m.company_id != self.company_id
            )
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only open posted invoices of %(customer)s can be placed, not: "
                    "%(moves)s.",
                    customer=partner.display_name,
                    moves=", ".join(wrong.mapped("display_name")),
                )
            )
        placed = self.move_ids.sudo().filtered("credit_agency_placement_ids")
        if placed:
            raise UserError(
                self.env._(
                    "Already placed with an agency: %s.",
                    ", ".join(
                        f"{move.name} ({move.credit_agency_placement_ids[0].reference})"
                        for move in placed
                    ),
                )
            )

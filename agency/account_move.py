from odoo import fields, models
from odoo.exceptions import UserError

from ..credit_control.rights import check_credit_rights


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_agency_placement_ids = fields.Many2many(
        "credit.agency.placement",
        "credit_agency_placement_move_rel",
        "move_id",
        "placement_id",
        string="Agency Placements",
        readonly=True,
        copy=False,
        groups="credit_dunning.group_credit_control_user",
    )

    def action_credit_agency_place(self):
        """Place the selected invoices (of one customer) with an agency."""
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can place invoices with an agency."),
            manager=True,
        )
        partners = self.commercial_partner_id
        if len(partners) != 1:
            raise UserError(
                self.env._(
                    "Select the invoices of one customer: a file placed with an "
                    "agency is one debtor's."
                )
            )
        return self.env["credit.agency.place.wizard"]._open_for(partners, moves=self)

from odoo import api, fields, models

from ..credit_control.rights import check_credit_rights


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_agency = fields.Boolean(
        string="Collection Agency",
        help="This partner collects debts for the company: customers and "
        "invoices can be placed with it.",
    )
    credit_agency_fee_rate = fields.Float(
        string="Agency Fee (%)",
        digits=(5, 2),
        help="The agency's fee, a percentage of what it recovers: booked as a "
        "vendor bill of the agency with each recovery.",
    )
    credit_agency_placement_ids = fields.One2many(
        "credit.agency.placement",
        "partner_id",
        string="Agency Placements",
        groups="credit_dunning.group_credit_control_user",
    )
    credit_agency_placement_count = fields.Integer(
        string="Placements",
        compute="_compute_credit_agency_placement_count",
        groups="credit_dunning.group_credit_control_user",
    )

    _credit_agency_fee_rate_range = models.Constraint(
        "CHECK (credit_agency_fee_rate >= 0 AND credit_agency_fee_rate <= 100)",
        "An agency's fee is a percentage between 0 and 100.",
    )

    def _compute_credit_agency_placement_count(self):
        counts = dict(
            self.env["credit.agency.placement"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.credit_agency_placement_count = counts.get(
                partner.commercial_partner_id, 0
            )

    @api.model
    def _credit_protected_fields(self):
        manager = "credit_dunning.group_credit_control_manager"
        return super()._credit_protected_fields() | {
            "credit_agency": manager,
            "credit_agency_fee_rate": manager,
        }

    def action_credit_agency_place(self):
        """Place the customer's open overdue invoices with an agency."""
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can place customers with an agency."),
            manager=True,
        )
        self.ensure_one()
        return self.env["credit.agency.place.wizard"]._open_for(
            self.commercial_partner_id, whole_account=True
        )

    def action_credit_agency_placements(self):
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can see agency placements."),
        )
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_dunning.credit_agency_placement_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

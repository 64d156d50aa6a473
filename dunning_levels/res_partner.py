from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_dunning_policy_id = fields.Many2one(
        "credit.dunning.policy",
        string="Dunning Policy",
        company_dependent=True,
        help="Leave empty to follow the company's default policy.",
    )
    credit_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Credit controller in charge: receives the call tasks.",
    )
    dunning_excluded = fields.Boolean(
        string="Do Not Dun",
        tracking=True,
        help="The ladder never reminds this customer.",
    )
    dunning_excluded_reason = fields.Char(string="Reason Not to Dun")
    dunning_communication_ids = fields.One2many(
        "credit.dunning.communication", "partner_id", string="Reminders"
    )
    dunning_communication_count = fields.Integer(
        compute="_compute_dunning_communication_count"
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "dunning_excluded",
            "dunning_excluded_reason",
        ]

    def _compute_dunning_communication_count(self):
        counts = dict(
            self.env["credit.dunning.communication"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_communication_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_open_dunning_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_dunning.credit_dunning_communication_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def _credit_dunning_policy(self, company):
        self.ensure_one()
        return self.with_company(
            company
        ).commercial_partner_id.credit_dunning_policy_id or (
            self.env["credit.dunning.policy"]._get_default_policy(company)
        )

    def _credit_dunning_collector(self, company):
        """The collector of the customer, else a credit manager of the company."""
        self.ensure_one()
        collector = self.with_company(company).commercial_partner_id.credit_collector_id
        if collector:
            return collector
        managers = self._credit_managers(company)
        return managers.filtered(lambda u: u.id != 1)[:1] or managers[:1]

    def _credit_blocking_invoice_partners(self):
        """A hold decided by the ladder stays while an open invoice is still at
        or beyond a hold level."""
        blocking = super()._credit_blocking_invoice_partners()
        ladder = self._credit_partners_with_open_invoices(
            [
                ("dunning_dispute", "=", False),
                ("dunning_level_id.blocks_orders", "=", True),
            ]
        )
        # Overdue alone does not keep a ladder hold: only invoices at a hold
        # level do. A broken promise keeps its hold while anything is overdue.
        promise = {
            pid for pid in blocking if self.browse(pid).credit_hold_origin == "promise"
        }
        return ladder | promise

    def _credit_dunning_recipients(self):
        """{commercial id: partner to remind}: the invoice-address contact when
        it has an email, else the commercial entity."""
        contacts = self.search(
            [
                ("parent_id", "in", self.ids),
                ("type", "=", "invoice"),
                ("email", "!=", False),
            ],
            order="id",
        )
        invoice_contact = {}
        for contact in contacts:
            invoice_contact.setdefault(contact.parent_id.id, contact)
        return {
            partner.id: invoice_contact.get(partner.id, partner) for partner in self
        }

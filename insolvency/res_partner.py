from odoo import fields, models

from ..credit_control.rights import check_credit_rights


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_insolvency_ids = fields.One2many(
        "credit.insolvency.proceeding",
        "partner_id",
        string="Insolvency Proceedings",
        groups="credit_dunning.group_credit_control_user",
    )
    credit_insolvency_count = fields.Integer(
        string="Proceedings",
        compute="_compute_credit_insolvency_count",
        groups="credit_dunning.group_credit_control_user",
    )

    def _compute_credit_insolvency_count(self):
        counts = dict(
            self.env["credit.insolvency.proceeding"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.credit_insolvency_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_credit_insolvency(self):
        """The customer's proceedings; a new one recorded by hand (a credit
        manager) when it has none."""
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can see insolvency proceedings."),
        )
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_dunning.credit_insolvency_proceeding_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def _credit_blocking_invoice_partners(self):
        """A customer in insolvency proceedings stays on hold whatever its
        invoices: a hold set earlier by the ladder or a broken promise is not
        lifted when the invoice behind it is settled (by a dividend, a credit
        note)."""
        blocking = super()._credit_blocking_invoice_partners()
        in_proceedings = (
            self.env["credit.insolvency.proceeding"]
            .sudo()
            .search_fetch([("partner_id", "in", self.ids)], ["partner_id"])
            .partner_id
        )
        return blocking | set(in_proceedings.ids)

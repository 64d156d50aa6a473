from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount


class CreditDunningPreview(models.TransientModel):
    _name = "credit.dunning.preview"
    _description = "Dunning Run Preview"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    date = fields.Date(default=fields.Date.context_today)
    summary = fields.Html(compute="_compute_summary", sanitize=False)

    @api.depends("company_id", "date")
    def _compute_summary(self):
        # the plan is read as superuser: the caller's rights first
        self._check_preview_rights()
        Run = self.env["credit.dunning.run"].sudo()
        for preview in self:
            plan = Run._plan(preview.company_id, preview.date)
            if not plan:
                preview.summary = Markup("<p>%s</p>") % self.env._(
                    "The next run would do nothing."
                )
                continue
            partners = self.env["res.partner"].sudo().browse(list(plan))
            rows = Markup()
            for partner in partners.sorted("name"):
                data = plan[partner.id]
                level = data["level"]
                moves = self.env["account.move"].sudo().browse(list(data["moves"]))
                rows += Markup(
                    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>"
                ) % (
                    partner.name,
                    level.name,
                    ", ".join(level._action_labels()),
                    ", ".join(moves.mapped("name")),
                    format_amount(
                        self.env,
                        sum(moves.mapped("amount_residual_signed")),
                        preview.company_id.currency_id,
                    ),
                )
            preview.summary = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                escape(self.env._("Customer")),
                escape(self.env._("Level")),
                escape(self.env._("Actions")),
                escape(self.env._("Invoices moving up")),
                escape(self.env._("Amount")),
                rows,
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["credit.dunning.run"]._check_run_rights()
        previews = super().create(vals_list)
        previews._check_preview_rights()
        return previews

    def action_run(self):
        """Run the dunning of the company previewed, now (the button asks
        for a confirmation first)."""
        self.ensure_one()
        self._check_preview_rights()
        action = self.env["credit.dunning.run"]._run_now(self.company_id)
        if action.get("tag") == "display_notification":
            action["params"]["next"] = {"type": "ir.actions.act_window_close"}
        return action

    def _check_preview_rights(self):
        """Credit control only, and only for a company of the caller's."""
        self.env["credit.dunning.run"]._check_run_rights()
        if self.env.su:
            return
        foreign = self.company_id - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You may not preview or run the dunning of %(companies)s.",
                    companies=", ".join(foreign.mapped("name")),
                )
            )

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount, format_date


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
            breaking = preview._promises_that_would_break()
            notes = Markup()
            if breaking:
                notes += Markup("<p class='text-danger'>%s</p>") % self.env._(
                    "Promises that would break (customer put on hold and cash-only): %s",
                    ", ".join(breaking.mapped("display_name")),
                )
            if not plan:
                preview.summary = notes + Markup("<p>%s</p>") % self.env._(
                    "The next run would send no reminder."
                )
                continue
            partners = self.env["res.partner"].sudo().browse(list(plan))
            missing = preview._settings_missing(plan, partners)
            held = sorted({item for items in missing.values() for item in items})
            if held:
                notes += Markup("<p class='text-warning'>%s</p>") % self.env._(
                    "%(count)s reminder(s) would be held until these settings are "
                    "filled in: %(items)s",
                    count=len(missing),
                    items="; ".join(held),
                )
            rows = Markup()
            for partner in partners.sorted("name"):
                data = plan[partner.id]
                level = data["level"]
                moves = self.env["account.move"].sudo().browse(list(data["moves"]))
                rows += Markup(
                    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td class='text-end'>%s</td><td>%s</td></tr>"
                ) % (
                    partner.name,
                    preview._level_cell(level, data),
                    ", ".join(level._action_labels()),
                    ", ".join(moves.mapped("name")),
                    format_amount(
                        self.env,
                        sum(moves.mapped("amount_residual_signed")),
                        preview.company_id.currency_id,
                    ),
                    self.env._("held") if partner.id in missing else "",
                )
            preview.summary = notes + Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th class='text-end'>%s</th><th>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            ) % (
                escape(self.env._("Customer")),
                escape(self.env._("Level")),
                escape(self.env._("Actions")),
                escape(self.env._("Invoices moving up")),
                escape(self.env._("Amount")),
                escape(self.env._("Documents")),
                rows,
            )

    def _level_cell(self, level, data):
        """The level sent, and for the invoices that get a lower level than
        their days alone would give, why (a first contact, or the policy's
        pace: one level at a time) and when that level may come."""
        deferred = data.get("deferred") or {}
        groups = defaultdict(list)
        for move_id, (reached, day, first_contact) in deferred.items():
            sent = data["moves"][move_id]
            groups[sent, reached, first_contact].append((move_id, day))
        notes = []
        for (sent, reached, first_contact), items in sorted(
            groups.items(), key=lambda item: -item[0][1].offset_days
        ):
            values = {
                "level": sent.name,
                "reached": reached.name,
                "date": format_date(self.env, min(day for _move, day in items)),
            }
            if first_contact:
                note = self.env._(
                    "first contact: %(level)s instead of %(reached)s; "
                    "%(reached)s not before %(date)s",
                    **values,
                )
            else:
                note = self.env._(
                    "at the policy's pace: %(level)s instead of %(reached)s; "
                    "%(reached)s not before %(date)s",
                    **values,
                )
            if len(items) < len(data["moves"]):
                # the customer's other invoices climb as usual: say which
                moves = self.env["account.move"].sudo().browse([m for m, _d in items])
                note = f"{note} ({', '.join(moves.mapped('name'))})"
            notes.append(note)
        return Markup().join(
            [Markup("%s") % level.name]
            + [Markup("<div class='text-muted small'>%s</div>") % n for n in notes]
        )

    def _settings_missing(self, plan, partners):
        """{partner id: [missing setting]} of the reminders the run would
        hold, checked on reminders built in memory (nothing is written)."""
        self.ensure_one()
        recipients = partners._credit_dunning_recipients()
        Comm = self.env["credit.dunning.communication"].sudo()
        comms = Comm
        partner_of = {}
        for partner in partners:
            comm = Comm.new(
                {
                    "partner_id": partner.id,
                    "recipient_id": recipients[partner.id].id,
                    "company_id": self.company_id.id,
                    "level_id": plan[partner.id]["level"].id,
                    "date": self.date,
                    "line_ids": [
                        Command.create({"move_id": move_id})
                        for move_id in plan[partner.id]["moves"]
                    ],
                }
            )
            partner_of[comm.id] = partner.id
            comms |= comm
        return {
            partner_of[comm_id]: items
            for comm_id, items in comms._credit_missing_settings().items()
        }

    def _promises_that_would_break(self):
        self.ensure_one()
        promises = (
            self.env["credit.dunning.promise"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "open"),
                    ("date", "<", self.date),
                ]
            )
        )
        return promises.filtered(
            lambda p: (
                fields.Date.add(p.date, days=p.grace_days) < self.date
                and not p._is_kept()
            )
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

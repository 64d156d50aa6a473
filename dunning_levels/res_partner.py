from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..credit_control.rights import check_credit_rights


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
        help="The ladder never reminds this customer.",
    )
    dunning_excluded_reason = fields.Char(string="Reason Not to Dun")
    dunning_communication_ids = fields.One2many(
        "credit.dunning.communication", "partner_id", string="Reminders"
    )
    dunning_communication_count = fields.Integer(
        string="Number of Reminders", compute="_compute_dunning_communication_count"
    )
    credit_portal_access_ids = fields.One2many(
        "credit.dunning.access",
        "partner_id",
        string="Account Page Links",
        groups="credit_dunning.group_credit_control_user",
    )
    credit_dunning_level_id = fields.Many2one(
        "credit.dunning.level",
        string="Dunning Level",
        compute="_compute_credit_dunning_level_id",
        help="The highest level reached by the open invoices of the customer.",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "dunning_excluded",
            "dunning_excluded_reason",
        ]

    @api.model
    def _credit_protected_fields(self):
        user = "credit_dunning.group_credit_control_user"
        return super()._credit_protected_fields() | {
            "dunning_excluded": user,
            "dunning_excluded_reason": user,
            "credit_dunning_policy_id": user,
            "credit_collector_id": user,
        }

    @api.depends_context("company")
    def _compute_credit_dunning_level_id(self):
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    (
                        "commercial_partner_id",
                        "in",
                        self.commercial_partner_id._origin.ids,
                    ),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("dunning_level_id", "!=", False),
                ],
                ["commercial_partner_id", "dunning_level_id"],
            )
        )
        highest = {}
        for partner, level in groups:
            best = highest.get(partner.id)
            if not best or level.offset_days > best.offset_days:
                highest[partner.id] = level
        for partner in self:
            partner.credit_dunning_level_id = highest.get(
                partner.commercial_partner_id._origin.id, False
            )

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

    def write(self, vals):
        newly = lifted = self.browse()
        if "dunning_excluded" in vals:
            entities = self.filtered(lambda p: p.commercial_partner_id == p)
            changing = entities._credit_field_changes(
                "dunning_excluded", vals["dunning_excluded"]
            )
            if changing and not self.env.su:
                # rights first: a salesperson gets an AccessError, not a
                # question about the reason
                self._credit_check_protected_fields({"dunning_excluded"})
            if vals["dunning_excluded"]:
                newly = changing
            else:
                lifted = changing
        if "dunning_excluded_reason" in vals:
            missing = newly and not (vals["dunning_excluded_reason"] or "").strip()
        else:
            missing = any(not p.dunning_excluded_reason for p in newly)
        if missing:
            raise UserError(
                self.env._(
                    "Say why the customer must not be reminded (Reason Not to Dun)."
                )
            )
        result = super().write(vals)
        # one batch of notes for all the customers changed
        staff = self._credit_staff_env()
        if newly:
            newly._credit_log_note(
                {
                    partner.id: staff._(
                        "Excluded from dunning: %s", partner.dunning_excluded_reason
                    )
                    for partner in newly
                }
            )
        if lifted:
            lifted._credit_log_note(staff._("Back in the dunning ladder."))
        return result

    def action_open_dunning_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_dunning.credit_dunning_communication_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def credit_record_promise(self, date, amount=None, invoice_ids=None, note=None):
        """Record the customer's promise to pay ``amount`` (default: what the
        invoices still owe) by ``date`` for ``invoice_ids`` (default: its
        open invoices past due in the current company). The ladder pauses
        for those invoices until the date plus the policy's grace period.
        Credit control users only. Returns the promise's id."""
        self.ensure_one()
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can record payment promises."),
        )
        partner = self.commercial_partner_id
        company = self.env.company
        Move = self.env["account.move"]
        if invoice_ids:
            moves = Move.browse(invoice_ids)
        else:
            moves = Move.search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", fields.Date.context_today(self)),
                ]
            )
        if not moves:
            raise UserError(
                self.env._("%s has no overdue invoice to promise.", partner.name)
            )
        policy = partner._credit_dunning_policy(company)
        promise = self.env["credit.dunning.promise"].create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "move_ids": [Command.set(moves.ids)],
                "date": date,
                "amount": amount
                if amount is not None
                else sum(moves.mapped("amount_residual_signed")),
                "grace_days": policy.promise_grace_days if policy else 3,
                "note": note,
            }
        )
        return promise.id

    def _credit_portal_url(self, company=None, short=False):
        """The link to the customer's account page (no login needed): the
        full URL, or the short form printed on letters. Made when missing."""
        self.ensure_one()
        company = company or self.env.company
        access = self.env["credit.dunning.access"]._ensure_for(
            self, company, renew=False
        )[self.commercial_partner_id.id]
        return access._short_url() if short else access._full_url()

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

import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..credit_control.rights import check_credit_rights

EVENT_KINDS = [
    ("opened", "Opened"),
    ("statement", "Statement downloaded"),
    ("paid", "Paid"),
    ("promised", "Promised to pay"),
    ("disputed", "Disputed"),
    ("plan", "Payment plan requested"),
]


class CreditDunningAccess(models.Model):
    """A link to the customer's account page that works without a login:
    a random token per customer and company, valid for a set time from the
    last reminder that carried it, revocable, with the log of what the
    customer did through it."""

    _name = "credit.dunning.access"
    _description = "Customer Account Page Link"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: secrets.token_urlsafe(16),
        groups="credit_dunning.group_credit_control_user",
    )
    expiry_date = fields.Date(string="Valid Until", required=True, tracking=True)
    revoked = fields.Boolean(readonly=True, tracking=True)
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("revoked", "Revoked")],
        compute="_compute_state",
    )
    url = fields.Char(
        string="Link",
        compute="_compute_url",
        groups="credit_dunning.group_credit_control_user",
    )
    event_ids = fields.One2many(
        "credit.dunning.access.event", "access_id", string="Access Log", readonly=True
    )
    last_event_date = fields.Datetime(
        string="Last Visit", compute="_compute_last_event_date"
    )

    _token_unique = models.Constraint("UNIQUE(token)", "A link token is unique.")

    @api.depends("expiry_date", "revoked")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for access in self:
            if access.revoked:
                access.state = "revoked"
            elif access.expiry_date and access.expiry_date < today:
                access.state = "expired"
            else:
                access.state = "valid"

    def _compute_url(self):
        for access in self:
            access.url = access.sudo()._full_url()

    @api.depends("event_ids.date")
    def _compute_last_event_date(self):
        for access in self:
            access.last_event_date = max(access.event_ids.mapped("date") or [False])

    def action_revoke(self):
        """The link stops working at once (a customer lost it, or it went to
        the wrong person); the next reminder carries a new one."""
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can revoke a customer's link."),
        )
        for access in self.filtered(lambda a: not a.revoked):
            access.revoked = True
            access.message_post(
                body=self.env._("Link revoked by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
            access.partner_id._credit_log_note(
                self.env._(
                    "Account page link revoked by %s: it no longer opens.",
                    self.env.user.name,
                )
            )
        return True

    # ------------------------------------------------------------------
    # Business methods (called as superuser by the run and the portal)
    # ------------------------------------------------------------------
    def _base_url(self):
        self.ensure_one()
        return self.company_id.get_base_url()

    def _full_url(self):
        self.ensure_one()
        return f"{self._base_url()}/my/credit/{self.token}"

    def _short_url(self):
        """What a letter prints: no scheme, the short route."""
        self.ensure_one()
        host = self._base_url().split("://", 1)[-1]
        return f"{host}/c/{self.token}"

    @api.model
    def _validity_days(self, company):
        return company.credit_portal_validity_days or 60

    @api.model
    def _ensure_for(self, partners, company, renew=True):
        """{commercial partner id: access}: the valid link of each customer
        in ``company``, made when missing; ``renew`` pushes its expiry to
        today plus the company's validity (a reminder renews the link it
        carries). One search and one create for the whole batch."""
        Access = self.sudo()
        commercials = partners.commercial_partner_id
        today = fields.Date.context_today(self)
        expiry = fields.Date.add(today, days=self._validity_days(company))
        existing = Access.search(
            [
                ("partner_id", "in", commercials.ids),
                ("company_id", "=", company.id),
                ("revoked", "=", False),
                ("expiry_date", ">=", today),
            ],
            order="id",
        )
        result = {access.partner_id.id: access for access in existing}
        if renew:
            stale = existing.filtered(lambda a: a.expiry_date < expiry)
            if stale:
                stale.expiry_date = expiry
        missing = [p for p in commercials if p.id not in result]
        if missing:
            created = Access.create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "expiry_date": expiry,
                    }
                    for partner in missing
                ]
            )
            result.update({access.partner_id.id: access for access in created})
        return result

    @api.model
    def _from_token(self, token):
        """The valid link of ``token`` (as superuser), else an empty
        recordset: unknown, expired and revoked links open nothing."""
        if not token or not isinstance(token, str) or len(token) > 64:
            return self.sudo().browse()
        access = self.sudo().search(
            Domain("token", "=", token) & Domain("revoked", "=", False), limit=1
        )
        if not access or access.expiry_date < fields.Date.context_today(access):
            return self.sudo().browse()
        return access

    def _log(self, kind, detail=None):
        self.ensure_one()
        if kind not in dict(EVENT_KINDS):
            raise UserError(self.env._("Unknown access event %s.", kind))
        return (
            self.env["credit.dunning.access.event"]
            .sudo()
            .create({"access_id": self.id, "kind": kind, "detail": detail})
        )

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, format_date

from . import exposure, rights

CREDIT_FLAG_ORIGINS = [
    ("manual", "Manual"),
    ("dunning", "Dunning ladder"),
    ("promise", "Broken promise"),
    ("import", "Import"),
    ("insolvency", "Insolvency proceedings"),
]
EXPOSURE_PARTS = (
    "receivable",
    "uninvoiced",
    "draft",
    "overdue",
    "overdue_count",
    "oldest_due",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    cash_only = fields.Boolean(
        copy=False,
        tracking=True,
        help="The customer must pay before delivery: orders need an immediate "
        "payment term.",
    )
    cash_only_reason = fields.Char(copy=False)
    cash_only_origin = fields.Selection(CREDIT_FLAG_ORIGINS, copy=False)
    credit_hold = fields.Boolean(
        copy=False,
        tracking=True,
        help="New orders of the customer cannot be confirmed.",
    )
    credit_hold_reason = fields.Char(copy=False)
    credit_hold_origin = fields.Selection(CREDIT_FLAG_ORIGINS, copy=False)
    credit_hold_date = fields.Date(copy=False)
    credit_exposure = fields.Monetary(
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
        help="Open receivables + confirmed sales not yet invoiced + draft "
        "customer invoices, in company currency.",
    )
    credit_receivable = fields.Monetary(
        currency_field="credit_currency_id",
        string="Open Receivables",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_uninvoiced = fields.Monetary(
        currency_field="credit_currency_id",
        string="Confirmed Sales to Invoice",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_draft_invoices = fields.Monetary(
        currency_field="credit_currency_id",
        string="Draft Invoices",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_remaining = fields.Monetary(
        currency_field="credit_currency_id",
        string="Remaining Credit",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_overdue_amount = fields.Monetary(
        currency_field="credit_currency_id",
        string="Overdue Amount",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_over_limit = fields.Boolean(
        compute="_compute_credit_exposure",
        search="_search_credit_over_limit",
    )
    # display helpers of the Credit Control tab and list
    credit_currency_id = fields.Many2one(
        "res.currency",
        string="Currency of the Credit Figures",
        compute="_compute_credit_currency_id",
        help="The company currency, in which the credit figures are expressed.",
    )
    credit_has_limit = fields.Boolean(
        string="Has a Credit Limit",
        compute="_compute_credit_exposure",
        groups="account.group_account_invoice,account.group_account_readonly,"
        "sales_team.group_sale_salesman",
    )
    credit_can_edit_limit = fields.Boolean(
        string="May Change the Credit Limit",
        compute="_compute_credit_can_edit_limit",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "commercial_partner_id", "commercial_partner_id.credit_limit", "credit_limit"
    )
    @api.depends_context("company")
    def _compute_credit_exposure(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        commercial = self.commercial_partner_id
        # in a form, the records are new ones: the figures are those of the
        # saved customer, the limit the one being edited
        parts = self._credit_exposure_parts(commercial._origin, company)
        limits = {
            p._origin.id: p.sudo().with_company(company).credit_limit
            for p in commercial
        }
        for partner in self:
            cid = partner.commercial_partner_id._origin.id
            data = parts.get(cid, {})
            exposure = (
                data.get("receivable", 0.0)
                + data.get("uninvoiced", 0.0)
                + data.get("draft", 0.0)
            )
            limit = limits.get(cid, 0.0)
            if partner._origin.id == cid:
                # its own entity: the limit being edited, in a form
                limit = partner.sudo().with_company(company).credit_limit
            oldest = data.get("oldest_due")
            partner.credit_receivable = data.get("receivable", 0.0)
            partner.credit_uninvoiced = data.get("uninvoiced", 0.0)
            partner.credit_draft_invoices = data.get("draft", 0.0)
            partner.credit_exposure = exposure
            partner.credit_has_limit = bool(limit)
            partner.credit_remaining = limit - exposure if limit else 0.0
            partner.credit_overdue_amount = data.get("overdue", 0.0)
            partner.credit_oldest_overdue_days = (today - oldest).days if oldest else 0
            partner.credit_over_limit = bool(
                company.account_use_credit_limit
                and limit
                and company.currency_id.compare_amounts(exposure, limit) > 0
            )

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        # the figures are in company currency; the partner's own currency_id
        # follows its company, which may be another one, or none
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("uid")
    def _compute_credit_can_edit_limit(self):
        self.credit_can_edit_limit = self.env.user.has_group(
            "credit_dunning.group_credit_control_manager"
        )

    def _search_credit_over_limit(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        company = self.env.company
        self.env["res.partner"].flush_model(["credit_limit"])
        if not company.account_use_credit_limit:
            over = SQL("SELECT NULL::int WHERE FALSE")
        else:
            over = SQL(
                "SELECT exposure.commercial_id FROM (%s) exposure "
                "JOIN res_partner p ON p.id = exposure.commercial_id "
                "WHERE %s > 0 AND exposure.receivable + exposure.uninvoiced "
                "+ exposure.draft > %s",
                exposure.exposure_query(self.env, company),
                exposure.limit_sql(self.env, company),
                exposure.limit_sql(self.env, company),
            )
        positive = (operator == "in") == (True in value)
        domain = Domain("commercial_partner_id", "in", over)
        return domain if positive else ~domain

    # ------------------------------------------------------------------
    # Exposure engine (credit_control/exposure.py)
    # ------------------------------------------------------------------
    @api.model
    def _credit_exposure_parts(self, commercial_partners, company):
        """Exposure parts per commercial entity id, in one query."""
        return exposure.exposure_parts(self.env, commercial_partners.ids, company)

    @api.model
    def _credit_exposure_extra_parts(self, company, partner_filter):
        """SQL queries added (UNION ALL) to the exposure query by the sales
        channels: one row per commercial entity with the columns
        commercial_id, receivable, uninvoiced, draft, overdue, overdue_count,
        oldest_due, restricted by ``partner_filter`` (SQL on the customer
        ``p``). The Point of Sale bridge adds its sales on account not yet
        posted."""
        return []

    # ------------------------------------------------------------------
    # The refusals' wording, shared by every counter (quotation, till)
    # ------------------------------------------------------------------
    def _credit_hold_problem(self):
        """Why the hold of the commercial entity ``self`` refuses a sale."""
        self.ensure_one()
        return self.env._(
            "customer on credit hold since %(date)s: %(reason)s",
            date=format_date(self.env, self.credit_hold_date) or "-",
            reason=self.credit_hold_reason or "-",
        )

    @api.model
    def _credit_overdue_problem(self, data, company):
        """Why the overdue invoices of exposure ``data`` (a row of
        ``_credit_exposure_parts``) refuse a sale in ``company``, or False."""
        oldest = data.get("oldest_due")
        if not (company.credit_block_overdue and oldest):
            return False
        days = (fields.Date.context_today(self) - oldest).days
        if days <= company.credit_overdue_tolerance_days:
            return False
        return self.env._(
            "%(count)s invoice(s) overdue, %(amount)s, oldest "
            "%(days)s days (tolerance %(tolerance)s days)",
            count=data["overdue_count"],
            amount=format_amount(self.env, data["overdue"], company.currency_id),
            days=days,
            tolerance=company.credit_overdue_tolerance_days,
        )

    @api.model
    def _credit_limit_problem(self, exposure, limit, company):
        """Why an ``exposure`` over ``limit`` (company currency) refuses a
        sale, or False."""
        currency = company.currency_id
        if not limit or currency.compare_amounts(exposure, limit) <= 0:
            return False
        return self.env._(
            "exposure %(exposure)s would exceed the limit of %(limit)s by %(excess)s",
            exposure=format_amount(self.env, exposure, currency),
            limit=format_amount(self.env, limit, currency),
            excess=format_amount(self.env, exposure - limit, currency),
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "cash_only",
            "cash_only_reason",
            "cash_only_origin",
            "credit_hold",
            "credit_hold_reason",
            "credit_hold_origin",
            "credit_hold_date",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._credit_check_protected_fields(
                    {fname for fname, value in vals.items() if value}
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._credit_protected_fields().keys() & vals.keys():
            # only the commercial entities decide: the sync of an entity to its
            # contacts writes the same values as the user, and is not a change
            entities = self.filtered(lambda p: p.commercial_partner_id == p)
            changed = {
                fname
                for fname in self._credit_protected_fields().keys() & vals.keys()
                if entities._credit_field_changes(fname, vals[fname])
            }
            self._credit_check_protected_fields(changed)
            notes = entities._credit_protected_change_notes(changed, vals)
            result = super().write(vals)
            if notes:
                self.browse([partner.id for partner in notes])._credit_log_note(
                    {partner.id: body for partner, body in notes.items()}
                )
            return result
        return super().write(vals)

    # ------------------------------------------------------------------
    # Protected credit fields
    # ------------------------------------------------------------------
    @api.model
    def _credit_protected_fields(self):
        """{field: group xmlid allowed to change it, or None when it changes
        only through _credit_set_flags (with a reason)}. Extended by the
        dunning side."""
        manager = "credit_dunning.group_credit_control_manager"
        return {
            "cash_only": None,
            "cash_only_reason": None,
            "cash_only_origin": None,
            "credit_hold": None,
            "credit_hold_reason": None,
            "credit_hold_origin": None,
            "credit_hold_date": None,
            "credit_limit": manager,
            "use_partner_credit_limit": manager,
        }

    def _credit_check_protected_fields(self, fnames):
        """AccessError when the user may not change one of ``fnames``; a
        UserError for a credit manager writing a flag without its reason."""
        protected = self._credit_protected_fields()
        manager = rights.has_credit_rights(self.env, manager=True)
        for fname in sorted(set(fnames) & protected.keys()):
            group = protected[fname]
            if group is None and not manager:
                raise AccessError(
                    self.env._(
                        "Only a credit manager can put a customer on hold or "
                        "cash-only, or lift it."
                    )
                )
            if group is None:
                raise UserError(
                    self.env._(
                        "Credit hold and cash-only are changed with a reason: use the "
                        "buttons of the customer's Credit Control tab, or the method "
                        "credit_set_flags(reason, cash_only=..., credit_hold=...)."
                    )
                )
            if not self.env.user.has_group(group):
                raise AccessError(
                    self.env._(
                        "Only %(group)s may change “%(field)s” of a customer.",
                        group=self.env.ref(group).full_name,
                        field=self._fields[fname].get_description(self.env)["string"],
                    )
                )

    def _credit_field_changes(self, fname, value):
        """The partners of self whose ``fname`` would change to ``value``."""
        field = self._fields[fname]
        if field.type == "many2one":
            new = value.id if isinstance(value, models.BaseModel) else (value or False)
            return self.filtered(lambda p: p[fname].id != new)
        if field.type in ("float", "monetary"):
            new = float(value or 0.0)
            return self.filtered(lambda p: abs((p[fname] or 0.0) - new) > 1e-9)
        if field.type == "boolean":
            return self.filtered(lambda p: p[fname] != bool(value))
        return self.filtered(lambda p: (p[fname] or False) != (value or False))

    def _credit_protected_change_notes(self, fnames, vals):
        """{partner: note} of the changes of untracked protected fields
        (the credit limit and the dunning settings are per company)."""
        notes = {}
        protected = self._credit_protected_fields()
        staff = self._credit_staff_env()
        for fname in sorted(fnames):
            field = self._fields[fname]
            if getattr(field, "tracking", None) or protected[fname] is None:
                continue
            if fname == "use_partner_credit_limit":
                continue
            label = field.get_description(staff)["string"]
            for partner in self._credit_field_changes(fname, vals[fname]):
                old, new = partner[fname], vals[fname]
                if field.type == "many2one":
                    old = old.with_env(staff).display_name or "-"
                    new = staff[field.comodel_name].browse(new).display_name or "-"
                elif field.type in ("float", "monetary"):
                    currency = self.env.company.currency_id
                    old = format_amount(staff, old or 0.0, currency)
                    new = format_amount(staff, float(new or 0.0), currency)
                notes.setdefault(partner, []).append(
                    staff._(
                        "%(field)s (%(company)s): %(old)s → %(new)s",
                        field=label,
                        company=self.env.company.name,
                        old=old,
                        new=new,
                    )
                )
        return {partner: "\n".join(lines) for partner, lines in notes.items()}

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _credit_open_flag_wizard(self, flag, value):
        self.ensure_one()
        titles = {
            ("credit_hold", True): self.env._("Put on hold"),
            ("credit_hold", False): self.env._("Lift hold"),
            ("cash_only", True): self.env._("Set cash-only"),
            ("cash_only", False): self.env._("Lift cash-only"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[flag, value],
            "res_model": "credit.flag.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_flag": flag,
                "default_value": value,
            },
        }

    def action_credit_hold_set(self):
        return self._credit_open_flag_wizard("credit_hold", True)

    def action_credit_hold_lift(self):
        return self._credit_open_flag_wizard("credit_hold", False)

    def action_cash_only_set(self):
        return self._credit_open_flag_wizard("cash_only", True)

    def action_cash_only_lift(self):
        return self._credit_open_flag_wizard("cash_only", False)

    # ------------------------------------------------------------------
    # Integrators' entry points (JSON-2 / XML-RPC), documented in README
    # ------------------------------------------------------------------
    def credit_set_flags(self, reason, cash_only=None, credit_hold=None):
        """Set (True) or lift (False) the credit hold and/or cash-only of the
        customers, with a reason kept in their chatter; None leaves a flag
        as it is. Credit managers only. Returns the ids of the customers
        (commercial entities) that changed."""
        rights.check_credit_rights(
            self.env,
            self.env._(
                "Only a credit manager can put a customer on hold or cash-only, "
                "or lift it."
            ),
            manager=True,
        )
        flags = {
            flag: bool(value)
            for flag, value in (("cash_only", cash_only), ("credit_hold", credit_hold))
            if value is not None
        }
        if not flags:
            raise UserError(self.env._("Say which flag to set or lift."))
        return self._credit_set_flags(reason, origin="manual", **flags).ids

    def credit_exposure_get(self):
        """The credit figures of the customers, in company currency: a list
        of dicts (one per customer of self, in its commercial entity's
        terms). Credit control users only."""
        rights.check_credit_rights(
            self.env, self.env._("Only credit control users can read credit figures.")
        )
        self.check_access("read")
        company = self.env.company
        return [
            {
                "id": partner.id,
                "commercial_partner_id": partner.commercial_partner_id.id,
                "currency": company.currency_id.name,
                "credit_limit": partner.commercial_partner_id.sudo().credit_limit,
                "credit_exposure": partner.credit_exposure,
                "credit_receivable": partner.credit_receivable,
                "credit_uninvoiced": partner.credit_uninvoiced,
                "credit_draft_invoices": partner.credit_draft_invoices,
                "credit_remaining": partner.credit_remaining,
                "credit_over_limit": partner.credit_over_limit,
                "credit_overdue_amount": partner.credit_overdue_amount,
                "credit_oldest_overdue_days": partner.credit_oldest_overdue_days,
                "credit_hold": partner.credit_hold,
                "cash_only": partner.cash_only,
            }
            for partner in self
        ]

    def _credit_action_open(self, res_model, domain, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }

    def action_credit_open_receivables(self):
        self.ensure_one()
        return self._credit_action_open(
            "account.move.line",
            [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            self.env._("Open Receivables"),
        )

    def action_credit_open_overdue(self):
        action = self.action_credit_open_receivables()
        action["domain"] += [
            ("date_maturity", "<", fields.Date.context_today(self)),
            ("amount_residual", ">", 0),
        ]
        action["name"] = self.env._("Overdue Receivables")
        return action

    def action_credit_open_uninvoiced(self):
        self.ensure_one()
        return self._credit_action_open(
            "sale.order",
            [
                ("partner_invoice_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "sale"),
                ("order_line.untaxed_amount_to_invoice", ">", 0),
            ],
            self.env._("Confirmed Sales to Invoice"),
        )

    def action_credit_open_draft_invoices(self):
        self.ensure_one()
        return self._credit_action_open(
            "account.move",
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "draft"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            self.env._("Draft Invoices"),
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _credit_set_flags(self, reason, origin="manual", **flags):
        """Set or lift ``cash_only`` / ``credit_hold`` on commercial entities.

        Every change is posted in the chatter with its reason; the author and
        date of the message say who and when. Manual changes need the credit
        manager group.
        """
        unknown = set(flags) - {"cash_only", "credit_hold"}
        if unknown:
            raise UserError(self.env._("Unknown credit flag: %s", ", ".join(unknown)))
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason for the change."))
        if origin in ("manual", "import"):
            rights.check_credit_rights(
                self.env,
                self.env._(
                    "Only a credit manager can put a customer on hold or cash-only, "
                    "or lift it."
                ),
                manager=True,
            )
        today = fields.Date.context_today(self)
        # the note stays in the chatter: the company's language
        staff = self._credit_staff_env()
        labels = {
            ("credit_hold", True): staff._("Credit hold set"),
            ("credit_hold", False): staff._("Credit hold lifted"),
            ("cash_only", True): staff._("Cash-only set"),
            ("cash_only", False): staff._("Cash-only lifted"),
        }
        origin_label = dict(
            self._fields["credit_hold_origin"]._description_selection(staff)
        )[origin]
        # customers needing the same change: one write and one batch of
        # notes per group, whatever the number of customers selected
        groups = defaultdict(list)
        for partner in self.commercial_partner_id:
            vals = {}
            events = []
            for flag, value in flags.items():
                if partner[flag] == bool(value):
                    continue
                events.append(labels[flag, bool(value)])
                vals[flag] = bool(value)
                prefix = "credit_hold" if flag == "credit_hold" else "cash_only"
                vals[f"{prefix}_reason"] = reason if value else False
                vals[f"{prefix}_origin"] = origin if value else False
                if flag == "credit_hold":
                    vals["credit_hold_date"] = today if value else False
            if vals:
                groups[tuple(sorted(vals.items())), tuple(events)].append(partner.id)
        changed = self.browse()
        for (items, events), ids in groups.items():
            partners = self.browse(ids)
            # the note below says what changed, why and by whom: no
            # tracking message besides it
            # what Odoo's write reads per customer to sync its contacts and
            # users, read once for the group
            partners.sudo().mapped("child_ids.user_ids")
            partners.sudo().user_ids  # noqa: B018
            partners.sudo().with_context(mail_notrack=True).write(dict(items))
            body = staff._(
                "%(events)s (%(origin)s): %(reason)s",
                events=", ".join(events),
                origin=origin_label,
                reason=reason,
            )
            partners._credit_log_note({pid: body for pid in ids})
            changed |= partners
        return changed

    @api.model
    def _credit_managers(self, company=None):
        """Active internal users of the credit manager group (of ``company``
        when given), oldest first. The group is found through the cached
        xmlid lookup: env.ref() would run a query on every call."""
        group = (
            self.env["res.groups"]
            .sudo()
            .browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "credit_dunning.group_credit_control_manager"
                )
            )
        )
        return group.user_ids.filtered(
            lambda u: (
                u.active
                and u._is_internal()
                and (company is None or company in u.company_ids)
            )
        ).sorted("id")

    def _credit_staff_env(self):
        """The environment in the language of the staff texts that stay
        (chatter notes, hold reasons): the current company's, whoever runs
        the code (the daily cron runs as OdooBot, in English)."""
        lang = self.env.company.sudo().partner_id.lang or self.env.lang or "en_US"
        if lang == self.env.lang:
            return self.env
        return self.env(context=dict(self.env.context, lang=lang))

    def _credit_log_note(self, body):
        """Log a note on the customers as the current user: credit staff may
        not have write access on contacts, which message_post requires.
        ``body`` is a text, or {partner id: text}. One batch for all."""
        if not self:
            return self.env["mail.message"]
        bodies = body if isinstance(body, dict) else dict.fromkeys(self.ids, body)
        return self.sudo()._message_log_batch(
            bodies, author_id=self.env.user.partner_id.id
        )

    def _credit_release_automatic_holds(self):
        """Lift holds decided by the ladder or a broken promise once nothing
        blocking remains on the account. Manual holds stay."""
        candidates = self.commercial_partner_id.filtered(
            lambda p: p.credit_hold and p.credit_hold_origin in ("dunning", "promise")
        )
        if not candidates:
            return self.browse()
        blocking = candidates._credit_blocking_invoice_partners()
        released = candidates.filtered(lambda p: p.id not in blocking)
        reason = self._credit_staff_env()._(
            "nothing overdue that justified the hold remains"
        )
        for partner in released:
            partner._credit_set_flags(
                reason,
                origin=partner.credit_hold_origin,
                credit_hold=False,
            )
        return released

    def _credit_partners_with_open_invoices(self, domain):
        """Ids of the commercial entities in self with an open customer invoice
        matching ``domain``, in one grouped query."""
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "=", "out_invoice"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    *domain,
                ],
                ["commercial_partner_id"],
            )
        )
        return {partner.id for (partner,) in groups}

    def _credit_blocking_invoice_partners(self):
        """Ids of the commercial entities that still have an open invoice
        which justifies an automatic hold. Extended by the dunning side."""
        return self._credit_partners_with_open_invoices(
            [("invoice_date_due", "<", fields.Date.context_today(self))]
        )

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..credit_control.rights import check_credit_rights
from ..dunning_levels.chatter import insert_notes, staff_env

KINDS = [
    ("safeguard", "Safeguard (sauvegarde)"),
    ("receivership", "Receivership (redressement judiciaire)"),
    ("liquidation", "Liquidation (liquidation judiciaire)"),
]
STAGES = [
    ("opened", "Opened"),
    ("plan", "Plan Adopted"),
    ("closed", "Closed"),
]
CLAIM_STATES = [
    ("to_declare", "To Declare"),
    ("declared", "Declared"),
    ("admitted", "Admitted"),
    ("contested", "Contested"),
    ("paid", "Paid in the Proceedings"),
    ("written_off", "Written Off"),
]
# months from the BODACC publication (Code de commerce R.622-24, L.624-9)
DECLARE_MONTHS = 2
RETENTION_MONTHS = 3


class CreditInsolvencyProceeding(models.Model):
    """A customer's collective proceedings (safeguard, receivership,
    liquidation), from the BODACC or recorded by hand. From the opening
    judgment, the customer's invoices dated before it leave the dunning
    ladder (Code de commerce L.622-21), and the claim must be declared to
    the court's representative within two months of the publication."""

    _name = "credit.insolvency.proceeding"
    _description = "Insolvency Proceedings"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "declare_deadline, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(KINDS, string="Proceedings", required=True, tracking=True)
    stage = fields.Selection(STAGES, required=True, default="opened", tracking=True)
    court = fields.Char(tracking=True)
    judgment_date = fields.Date(
        string="Opening Judgment",
        required=True,
        tracking=True,
        help="Date of the opening judgment: the invoices dated before it are "
        "claims in the proceedings and leave the dunning ladder.",
    )
    publication_date = fields.Date(
        string="BODACC Publication",
        required=True,
        tracking=True,
        help="The deadlines to declare the claim (2 months) and to claim goods "
        "under retention of title (3 months) run from this date.",
    )
    nature = fields.Char(
        string="Judgment",
        help="The judgment as published, e.g. “Jugement "
        "d'ouverture d'une procédure de redressement judiciaire”.",
    )
    details = fields.Text(
        string="Judgment Details",
        help="What the notice adds: the representative appointed, the date of "
        "suspension of payments…",
    )
    representative = fields.Char(
        string="Court Representative",
        tracking=True,
        help="The mandataire judiciaire (or liquidator) to whom the claim is "
        "declared, with the address.",
    )
    source = fields.Selection(
        [("bodacc", "BODACC"), ("manual", "Recorded by Hand")],
        required=True,
        default="manual",
        readonly=True,
    )
    url = fields.Char(string="Notice", readonly=True)
    notice_ids = fields.One2many(
        "credit.insolvency.notice", "proceeding_id", string="Notices", readonly=True
    )
    declare_deadline = fields.Date(
        string="Declare By",
        compute="_compute_deadlines",
        store=True,
        help="Publication + 2 months (Code de commerce R.622-24).",
    )
    retention_deadline = fields.Date(
        string="Claim Goods By",
        compute="_compute_deadlines",
        store=True,
        help="Publication + 3 months (Code de commerce L.624-9), for goods sold "
        "under retention of title.",
    )
    retention_of_title = fields.Boolean(
        readonly=True,
        help="The customer's invoices carry a retention-of-title clause.",
    )
    days_left = fields.Integer(
        string="Days Left to Declare", compute="_compute_days_left"
    )
    move_ids = fields.Many2many(
        "account.move",
        compute="_compute_moves",
        string="Invoices Before the Judgment",
    )
    amount_at_stake = fields.Monetary(
        string="At Stake",
        compute="_compute_moves",
        help="What the invoices dated before the judgment still owe.",
    )
    # the claim
    claim_state = fields.Selection(
        CLAIM_STATES,
        string="Claim",
        required=True,
        default="to_declare",
        tracking=True,
    )
    claim_date = fields.Date(string="Declared On", tracking=True, copy=False)
    claim_amount = fields.Monetary(string="Amount Declared", tracking=True, copy=False)
    claim_amount_admitted = fields.Monetary(
        string="Amount Admitted", tracking=True, copy=False
    )
    amount_dividends = fields.Monetary(
        string="Dividends Received", readonly=True, copy=False
    )
    payment_ids = fields.Many2many(
        "account.payment",
        "credit_insolvency_proceeding_payment_rel",
        "proceeding_id",
        "payment_id",
        string="Dividends",
        readonly=True,
        copy=False,
    )
    declaration_attachment_id = fields.Many2one(
        "ir.attachment", string="Declaration", readonly=True, copy=False
    )

    _partner_company_judgment_unique = models.Constraint(
        "UNIQUE (partner_id, company_id, judgment_date)",
        "These proceedings are already recorded for this customer.",
    )
    _claim_amounts_positive = models.Constraint(
        "CHECK (COALESCE(claim_amount, 0) >= 0 "
        "AND COALESCE(claim_amount_admitted, 0) >= 0)",
        "A claim's amounts cannot be negative.",
    )

    @api.depends("partner_id.name", "kind")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for proceeding in self:
            proceeding.name = " - ".join(
                filter(None, [proceeding.partner_id.name, kinds.get(proceeding.kind)])
            )

    @api.depends("publication_date")
    def _compute_deadlines(self):
        for proceeding in self:
            published = proceeding.publication_date
            proceeding.declare_deadline = (
                published + relativedelta(months=DECLARE_MONTHS) if published else False
            )
            proceeding.retention_deadline = (
                published + relativedelta(months=RETENTION_MONTHS)
                if published
                else False
            )

    @api.depends("declare_deadline", "claim_state")
    def _compute_days_left(self):
        today = fields.Date.context_today(self)
        for proceeding in self:
            if proceeding.claim_state == "to_declare" and proceeding.declare_deadline:
                proceeding.days_left = (proceeding.declare_deadline - today).days
            else:
                proceeding.days_left = 0

    def _moves_domain(self):
        self.ensure_one()
        return [
            ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("invoice_date", "<", self.judgment_date),
        ]

    @api.depends("partner_id", "company_id", "judgment_date")
    def _compute_moves(self):
        """The open invoices and credit notes dated before the judgment: one
        search for all the proceedings computed."""
        ready = self.filtered(lambda p: p.partner_id and p.judgment_date)
        (self - ready).move_ids = False
        (self - ready).amount_at_stake = 0.0
        if not ready:
            return
        moves = (
            self.env["account.move"]
            .sudo()
            .search_fetch(
                [
                    ("commercial_partner_id", "in", ready.partner_id.ids),
                    ("company_id", "in", ready.company_id.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date", "<", max(ready.mapped("judgment_date"))),
                ],
                [
                    "commercial_partner_id",
                    "company_id",
                    "invoice_date",
                    "amount_residual_signed",
                ],
                order="invoice_date, name, id",
            )
        )
        grouped = defaultdict(list)
        for move in moves:
            grouped[move.commercial_partner_id.id, move.company_id.id].append(move)
        for proceeding in ready:
            mine = [
                move
                for move in grouped[proceeding.partner_id.id, proceeding.company_id.id]
                if move.invoice_date < proceeding.judgment_date
            ]
            proceeding.move_ids = self.env["account.move"].union(*mine)
            proceeding.amount_at_stake = sum(m.amount_residual_signed for m in mine)

    @api.constrains("judgment_date", "publication_date")
    def _check_dates(self):
        for proceeding in self:
            if proceeding.publication_date < proceeding.judgment_date:
                raise ValidationError(
                    self.env._(
                        "The BODACC publishes a judgment after it is given: the "
                        "publication of %(name)s cannot be before its judgment.",
                        name=proceeding.partner_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the opening takes effect at once
    # ------------------------------------------------------------------
    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._(
                "Only a credit manager can record insolvency proceedings and "
                "their claims."
            ),
            manager=True,
        )

    @api.model
    def _check_user_company(self, company):
        """The company is one the user works in: what follows runs as
        superuser."""
        if company not in self.env.companies and not self.env.su:
            raise AccessError(
                self.env._(
                    "Switch to %s first: its insolvency proceedings are recorded "
                    "from that company.",
                    company.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        for vals in vals_list:
            self._check_user_company(
                self.env["res.company"].browse(vals.get("company_id"))
                if vals.get("company_id")
                else self.env.company
            )
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        proceedings = super(CreditInsolvencyProceeding, self.sudo()).create(vals_list)
        proceedings._apply_opening()
        return proceedings.with_env(self.env)

    def write(self, vals):
        self._check_manager()
        if {"partner_id", "company_id"} & vals.keys():
            raise UserError(
                self.env._(
                    "Proceedings stay with their customer and company: record "
                    "new proceedings instead."
                )
            )
        result = super().write(vals)
        if "publication_date" in vals:
            self._reschedule_tasks()
        return result

    def _reschedule_tasks(self):
        """The open tasks follow the deadlines (a publication date corrected
        by hand, or given by the BODACC)."""
        Data = self.env["ir.model.data"]
        deadlines = {
            Data._xmlid_to_res_id(
                "credit_dunning.mail_activity_type_insolvency_declare"
            ): "declare_deadline",
            Data._xmlid_to_res_id(
                "credit_dunning.mail_activity_type_insolvency_retention"
            ): "retention_deadline",
        }
        for proceeding in self.sudo():
            for activity in proceeding.activity_ids:
                field = deadlines.get(activity.activity_type_id.id)
                if field and activity.date_deadline != proceeding[field]:
                    activity.date_deadline = proceeding[field]

    def _bodacc_confirm(self, notice):
        """Proceedings recorded by hand, now published: the published dates,
        court and judgment replace what was typed, and the tasks follow."""
        self.ensure_one()
        self.sudo().write(
            {
                "judgment_date": notice["judgment_date"],
                "publication_date": max(notice["published"], notice["judgment_date"]),
                "court": notice["court"] or self.court,
                "nature": notice["nature"],
                "details": notice["details"] or self.details,
                "url": notice["url"],
                "source": "bodacc",
            }
        )
        self._apply_notice(notice)

    def unlink(self):
        self._check_manager()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        if self.filtered(lambda p: p.source == "bodacc"):
            raise UserError(
                self.env._(
                    "Proceedings published in the BODACC cannot be deleted: close "
                    "them, or record the claim's outcome."
                )
            )

    # ------------------------------------------------------------------
    # What an opening judgment does
    # ------------------------------------------------------------------
    def _kind_label(self, env=None):
        env = env or self.env
        return dict(self._fields["kind"]._description_selection(env)).get(self.kind, "")

    def _apply_opening(self):
        """Hold and cash-only with the judgment as the reason, a note on the
        customer and the proceedings, and the credit managers' tasks. In
        batches: an import opens hundreds at once."""
        proceedings = self.sudo()
        proceedings._set_retention_of_title()
        partner_notes, proceeding_notes = {}, {}
        for proceeding in proceedings:
            staff = staff_env(self.env, proceeding.company_id)
            partner = proceeding.partner_id
            reason = staff._(
                "%(kind)s opened by %(court)s on %(date)s",
                kind=proceeding._kind_label(staff),
                court=proceeding.court or staff._("the court"),
                date=format_date(staff, proceeding.judgment_date),
            )
            partner.with_env(staff)._credit_set_flags(
                reason, origin="insolvency", credit_hold=True, cash_only=True
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                staff._(
                    "Insolvency proceedings: %(nature)s (%(court)s, judgment of "
                    "%(date)s, published %(published)s).",
                    nature=proceeding.nature or proceeding._kind_label(staff),
                    court=proceeding.court or "-",
                    date=format_date(staff, proceeding.judgment_date),
                    published=format_date(staff, proceeding.publication_date),
                ),
                Markup().join(
                    Markup("<li>%s</li>") % line
                    for line in proceeding._opening_effects(staff)
                ),
            )
            partner_notes[partner.id] = body
            proceeding_notes[proceeding.id] = body
        self.env["res.partner"].browse(list(partner_notes))._credit_log_note(
            partner_notes
        )
        insert_notes(self.env, self._name, proceeding_notes)
        proceedings._schedule_tasks()

    def _set_retention_of_title(self):
        """Retention of title: the company's terms, or the payment terms of
        an invoice before the judgment (one query for all)."""
        candidates = self.filtered(lambda p: not p.company_id.credit_retention_of_title)
        (self - candidates).retention_of_title = True
        if not candidates:
            return
        moves = (
            self.env["account.move"]
            .sudo()
            .search_fetch(
                [
                    ("commercial_partner_id", "in", candidates.partner_id.ids),
                    ("company_id", "in", candidates.company_id.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("invoice_payment_term_id.credit_retention_of_title", "=", True),
                    # goods still unpaid: those paid for are the customer's
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                ["commercial_partner_id", "company_id", "invoice_date"],
            )
        )
        for proceeding in candidates:
            if any(
                move.commercial_partner_id == proceeding.partner_id
                and move.company_id == proceeding.company_id
                and move.invoice_date
                and move.invoice_date < proceeding.judgment_date
                for move in moves
            ):
                proceeding.retention_of_title = True

    def _opening_effects(self, env):
        self.ensure_one()
        lines = [
            env._(
                "The dunning ladder stops for the invoices dated before %(date)s "
                "(%(amount)s still owed): no reminder, no penalties, no agency.",
                date=format_date(env, self.judgment_date),
                amount=format_amount(env, self.amount_at_stake, self.currency_id),
            ),
            env._(
                "Declare the claim to the court's representative by %(date)s.",
                date=format_date(env, self.declare_deadline),
            ),
        ]
        if self.retention_of_title:
            lines.append(
                env._(
                    "Claim the goods sold under retention of title by %(date)s.",
                    date=format_date(env, self.retention_deadline),
                )
            )
        return lines

    def _task_users(self):
        self.ensure_one()
        managers = self.env["res.partner"]._credit_managers(self.company_id)
        return managers.filtered(lambda u: u.id != 1) or managers

    def _schedule_tasks(self):
        """ "Declare the claim" (publication + 2 months) and, under retention
        of title, "Claim the goods" (+ 3 months), for each credit manager of
        the company, in the manager's language: created at once, without an
        email each (the tasks are in the managers' activities and worklist,
        like the ladder's)."""
        Data = self.env["ir.model.data"]
        declare = Data._xmlid_to_res_id(
            "credit_dunning.mail_activity_type_insolvency_declare"
        )
        retention = Data._xmlid_to_res_id(
            "credit_dunning.mail_activity_type_insolvency_retention"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        users_of = {}
        vals_list = []
        for proceeding in self:
            company = proceeding.company_id
            if company not in users_of:
                users_of[company] = proceeding._task_users()
            for user in users_of[company]:
                env = self.env(context=dict(self.env.context, lang=user.lang))
                note = Markup("<ul>%s</ul>") % Markup().join(
                    Markup("<li>%s</li>") % line
                    for line in proceeding.with_env(env)._opening_effects(env)
                )
                tasks = [
                    (
                        declare,
                        proceeding.declare_deadline,
                        env._("Declare the claim: %s", proceeding.partner_id.name),
                    )
                ]
                if proceeding.retention_of_title:
                    tasks.append(
                        (
                            retention,
                            proceeding.retention_deadline,
                            env._(
                                "Claim goods under retention of title: %s",
                                proceeding.partner_id.name,
                            ),
                        )
                    )
                vals_list.extend(
                    {
                        "res_model_id": model_id,
                        "res_id": proceeding.id,
                        "activity_type_id": activity_type,
                        "date_deadline": deadline,
                        "summary": summary,
                        "note": note,
                        "user_id": user.id,
                    }
                    for activity_type, deadline, summary in tasks
                )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    def _apply_notice(self, notice):
        """A later notice of the same proceedings: a plan adopted, a
        conversion to liquidation, a closure; said in the chatter of the
        proceedings and of the customer."""
        self.ensure_one()
        staff = staff_env(self.env, self.company_id)
        vals = {}
        if notice["event"] == "conversion" or (
            notice["event"] == "opening" and notice["kind"] != self.kind
        ):
            vals = {"kind": notice["kind"] or "liquidation", "stage": "opened"}
        elif notice["event"] == "plan":
            vals = {"stage": "plan"}
        elif notice["event"] == "closure":
            vals = {"stage": "closed"}
        if vals:
            self.sudo().write(vals)
        body = staff._(
            "BODACC of %(published)s: %(nature)s (%(court)s, judgment of %(date)s).",
            published=format_date(staff, notice["published"]),
            nature=notice["nature"],
            court=notice["court"] or "-",
            date=format_date(staff, notice["judgment_date"]),
        )
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        self.partner_id._credit_log_note(body)
        return bool(vals)

    # ------------------------------------------------------------------
    # The declaration of claim
    # ------------------------------------------------------------------
    def _declaration_values(self):
        """What the declaration of claim states, in company currency, at the
        judgment date (Code de commerce L.622-25): the principal due and not
        yet due when the judgment was given, less the credit notes then open,
        the interest up to the day before the judgment (the judgment stops it
        from its first hour, L.622-28) and the indemnities of the invoices
        then overdue; the invoices. The payments from the judgment on do not
        reduce it (they would be refused by the proceedings, or are
        dividends)."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        judgment = self.judgment_date
        partner = self.partner_id.sudo()
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    *self._moves_domain(),
                    ("credit_is_penalty_invoice", "=", False),
                ],
                order="invoice_date, name, id",
            )
        )
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        triples = invoices._credit_receivable_triples()
        rows = []
        for move in moves:
            if move.move_type == "out_invoice":
                owed = sum(
                    balance
                    - sum(amount for day, amount in payments if day and day < judgment)
                    for balance, _due, payments in triples.get(move.id, [])
                )
            else:
                # a credit note: what it still owed the customer then
                lines = move.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                )
                owed = sum(
                    line.balance
                    + sum(
                        partial.amount
                        for partial in line.matched_debit_ids
                        if partial.max_date < judgment
                    )
                    for line in lines
                )
            owed = currency.round(owed)
            if currency.is_zero(owed) or (move.move_type == "out_invoice") != (
                owed > 0
            ):
                continue
            rows.append(
                {
                    "move": move,
                    "date": move.invoice_date,
                    "due": move.invoice_date_due,
                    "total": move.amount_total_signed,
                    "owed": owed,
                    # a credit note is deducted from what was due
                    "due_at_judgment": owed < 0
                    or bool(move.invoice_date_due and move.invoice_date_due < judgment),
                }
            )
        overdue = self.env["account.move"].browse(
            [
                row["move"].id
                for row in rows
                if row["due_at_judgment"] and row["owed"] > 0
            ]
        )
        # the interest up to the day before the judgment; the indemnities of
        # the invoices overdue on the judgment's day
        interest_figures = partner._credit_legal_figures(
            company,
            judgment - relativedelta(days=1),
            invoices=overdue,
            receivables=triples,
        )
        figures = partner._credit_legal_figures(
            company, judgment, invoices=overdue, receivables=triples
        )
        due = currency.round(sum(r["owed"] for r in rows if r["due_at_judgment"]))
        not_due = currency.round(
            sum(r["owed"] for r in rows if not r["due_at_judgment"])
        )
        interest = (
            interest_figures["interest"] if not interest_figures["error"] else 0.0
        )
        return {
            "proceeding": self,
            "company": company,
            "partner": partner,
            "currency": currency,
            "rows": rows,
            "principal_due": due,
            "principal_not_due": not_due,
            "interest": interest,
            "half_years": interest_figures["half_years"],
            "indemnity": figures["indemnity"],
            "indemnity_count": figures["indemnity_count"],
            "rate_error": interest_figures["error"],
            "total": currency.round(due + not_due + interest + figures["indemnity"]),
            "retention_of_title": self.retention_of_title,
        }

    def _declaration_lang(self):
        """The declaration goes to a French court's representative: in
        French when the language is installed, else the company's."""
        if self.env["res.lang"]._get_data(code="fr_FR"):
            return "fr_FR"
        return self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _declaration_filename(self):
        self.ensure_one()
        env = self.env(context=dict(self.env.context, lang=self._declaration_lang()))
        today = fields.Date.to_string(fields.Date.context_today(self))
        what = env._("Declaration of claim")
        return f"{what} - {self.partner_id.name} - {today}.pdf"

    def _render_declaration(self):
        """The declaration's PDF, attached to the proceedings."""
        self.ensure_one()
        report = self.env.ref("credit_dunning.action_report_credit_insolvency_claim")
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True, lang=self._declaration_lang())
            ._render_qweb_pdf(report.report_name, self.ids)
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self._declaration_filename(),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return attachment

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print_declaration(self):
        self._check_manager()
        self.ensure_one()
        return self.env.ref(
            "credit_dunning.action_report_credit_insolvency_claim"
        ).report_action(self)

    def action_record_declaration(self):
        self._check_manager()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the Declaration"),
            "res_model": "credit.insolvency.declare.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_proceeding_id": self.id},
        }

    def action_book_dividend(self):
        self._check_manager()
        self.ensure_one()
        if not self.move_ids.filtered(lambda m: m.move_type == "out_invoice"):
            raise UserError(self.env._("Nothing is owed any more on these claims."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book a Dividend"),
            "res_model": "credit.insolvency.dividend.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_proceeding_id": self.id},
        }

    def action_open_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claims of %s", self.partner_id.name),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", (self.move_ids | self.payment_ids.move_id).ids)],
        }

    def _done_activities(self, xmlid, feedback):
        activity_type = self.env.ref(xmlid, raise_if_not_found=False)
        if not activity_type:
            return
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).action_feedback(feedback=feedback)


class CreditInsolvencyNotice(models.Model):
    """A BODACC notice of a customer's collective proceedings, as imported:
    imported twice, it is found again and changes nothing (also a notice
    that only left a note on the customer)."""

    _name = "credit.insolvency.notice"
    _description = "BODACC Notice"
    _order = "publication_date desc, id desc"
    _check_company_auto = True

    bodacc_id = fields.Char(string="Notice ID", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade"
    )
    proceeding_id = fields.Many2one(
        "credit.insolvency.proceeding",
        ondelete="cascade",
        index=True,
        help="Empty for a notice of proceedings the company does not know "
        "(noted on the customer only).",
    )
    publication_date = fields.Date(required=True)
    judgment_date = fields.Date()
    court = fields.Char()
    nature = fields.Char(string="Judgment")
    event = fields.Selection(
        [
            ("opening", "Opening"),
            ("conversion", "Conversion to Liquidation"),
            ("plan", "Plan Adopted"),
            ("closure", "Closure"),
            ("other", "Other"),
        ]
    )
    url = fields.Char(string="Link")

    _bodacc_company_unique = models.Constraint(
        "UNIQUE (bodacc_id, company_id)",
        "This BODACC notice is already recorded.",
    )

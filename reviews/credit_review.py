from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..credit_control import rights

APPROVAL_FIELDS = {"state", "approved_by_id", "approved_date"}


def check_review_editable(reviews):
    """A collector records and edits draft reviews; an approved review, and
    the approval itself, belong to the credit managers."""
    env = reviews.env
    if rights.has_credit_rights(env, manager=True):
        return
    if any(review.state == "done" for review in reviews.sudo()):
        raise AccessError(
            env._("Only a credit manager can change an approved credit review.")
        )


class CreditReview(models.Model):
    _name = "credit.review"
    _description = "Credit Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        help="The customer's commercial entity: the decision applies to all "
        "its contacts.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    credit_limit = fields.Monetary(
        string="Decided Credit Limit",
        currency_field="currency_id",
        compute="_compute_decision",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Written on the customer when the review is approved. 0 means no limit.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        compute="_compute_decision",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
        help="Written on the customer when the review is approved (left empty: "
        "the customer's terms do not change).",
    )
    deposit_percent = fields.Float(
        string="Deposit Required (%)",
        tracking=True,
        help="Share of each order the customer pays online before the order "
        "is confirmed. 0: no deposit.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    next_review_date = fields.Date(
        tracking=True,
        help="On approval, a Credit review activity is planned on the customer "
        "for that day, for the reviewer (else the customer's collector).",
    )
    reference_ids = fields.One2many(
        "credit.review.reference", "review_id", string="References", copy=True
    )
    reference_count = fields.Integer(compute="_compute_reference_count")
    conclusion = fields.Text()
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)

    @api.depends("partner_id", "company_id")
    def _compute_decision(self):
        """A new review starts from what the customer has today."""
        for review in self:
            if review.state == "done" or not review.partner_id:
                continue
            partner = review.partner_id.with_company(review.company_id).sudo()
            review.credit_limit = partner.credit_limit
            review.payment_term_id = partner.property_payment_term_id

    @api.depends("reference_ids")
    def _compute_reference_count(self):
        for review in self:
            review.reference_count = len(review.reference_ids)

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "Credit review of %(customer)s (%(date)s)",
                customer=review.partner_id.display_name or "-",
                date=format_date(self.env, review.date) or "-",
            )

    @api.constrains("deposit_percent", "credit_limit")
    def _check_figures(self):
        for review in self:
            if not 0 <= review.deposit_percent <= 100:
                raise ValidationError(
                    self.env._("The deposit is a percentage between 0 and 100.")
                )
            if review.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The decided credit limit cannot be negative (0 means no "
                        "limit)."
                    )
                )

    @api.constrains("date", "next_review_date")
    def _check_next_review_date(self):
        for review in self:
            if review.next_review_date and review.next_review_date <= review.date:
                raise ValidationError(
                    self.env._("The next review comes after the review's date.")
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        manager = rights.has_credit_rights(self.env, manager=True)
        for vals in vals_list:
            if not manager and APPROVAL_FIELDS & {
                fname for fname, value in vals.items() if value and value != "draft"
            }:
                raise AccessError(
                    self.env._("Only a credit manager can approve a credit review.")
                )
            self._commercial_partner_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        check_review_editable(self)
        if {"partner_id", "company_id"} & vals.keys() and any(
            review.state == "done" for review in self
        ):
            raise UserError(
                self.env._(
                    "An approved credit review keeps its customer and company; "
                    "record a new review instead."
                )
            )
        if APPROVAL_FIELDS & vals.keys():
            rights.check_credit_rights(
                self.env,
                self.env._("Only a credit manager can approve a credit review."),
                manager=True,
            )
        self._commercial_partner_vals(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if not self.env.su and any(review.state == "done" for review in self):
            raise UserError(
                self.env._(
                    "An approved credit review stays in the customer's history; "
                    "record a new review to change the decision."
                )
            )

    def _commercial_partner_vals(self, vals):
        """Reviews are about the commercial entity, whichever contact is picked."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve(self):
        """Approve the reviews: their limit and terms go on the customers (in
        the review's company), the customer's chatter says what changed, and
        the next review is planned as an activity."""
        rights.check_credit_rights(
            self.env,
            self.env._("Only a credit manager can approve a credit review."),
            manager=True,
        )
        if any(review.state != "draft" for review in self):
            raise UserError(self.env._("This credit review is already approved."))
        for review in self.sorted(lambda r: (r.date, r.id)):
            review._credit_apply_decision()
        return True

    def _credit_apply_decision(self):
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.with_company(company)
        # the note and the activity stay: the company's language
        staff = partner._credit_staff_env()
        currency = company.currency_id
        before = partner.sudo()
        old_limit = before.credit_limit
        old_term = before.property_payment_term_id
        vals = {"credit_limit": self.credit_limit}
        if self.payment_term_id:
            vals["property_payment_term_id"] = self.payment_term_id.id
        # rights checked by the caller; the note below says what changed
        partner.sudo().with_context(mail_notrack=True).write(vals)
        self.sudo().write(
            {
                "state": "done",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )

        def limit_text(amount):
            if currency.is_zero(amount):
                return staff._("no limit")
            return format_amount(staff, amount, currency)

        term = self.payment_term_id or old_term
        body = staff._(
            "Credit review of %(date)s approved by %(user)s: credit limit "
            "%(old_limit)s → %(new_limit)s, payment terms %(old_term)s → "
            "%(new_term)s, deposit %(deposit)s %%.",
            date=format_date(staff, self.date),
            user=self.env.user.name,
            old_limit=limit_text(old_limit),
            new_limit=limit_text(self.credit_limit),
            old_term=old_term.with_env(staff).display_name or "-",
            new_term=term.with_env(staff).display_name or "-",
            deposit=f"{self.deposit_percent:g}",
        )
        if self.next_review_date:
            body += " " + staff._(
                "Next review: %s.", format_date(staff, self.next_review_date)
            )
        partner._credit_log_note(body)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.env["sale.order"].sudo().search(
            [
                ("partner_id", "child_of", self.partner_id.id),
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "sent")),
            ]
        )._credit_request_deposit()
        self._credit_plan_next_review(staff)

    def _credit_plan_next_review(self, staff):
        """Close the customer's pending Credit review activities, and plan the
        next one for the reviewer (else the collector)."""
        activity_type = self.env.ref("credit_dunning.mail_activity_type_credit_review")
        partner = self.partner_id.sudo()
        pending = partner.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        if pending:
            pending.action_feedback(
                feedback=staff._("Reviewed on %s.", format_date(staff, self.date))
            )
        if not self.next_review_date:
            return
        user = self.reviewer_id
        if not user.active or user.share:
            user = self.partner_id._credit_dunning_collector(self.company_id)
        partner.activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=self.next_review_date,
            summary=staff._("Credit review of %s", self.partner_id.display_name),
            note=staff._(
                "Review the credit of %(customer)s for %(company)s (last review: "
                "%(date)s).",
                customer=self.partner_id.display_name,
                company=self.company_id.name,
                date=format_date(staff, self.date),
            ),
            user_id=user.id or self.env.uid,
        )

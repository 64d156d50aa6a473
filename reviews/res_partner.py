from odoo import api, fields, models

from ..credit_control import rights


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_review_ids = fields.One2many(
        "credit.review",
        "partner_id",
        string="Credit Reviews",
        groups="credit_dunning.group_credit_control_user",
    )
    credit_review_count = fields.Integer(
        compute="_compute_credit_review",
        groups="credit_dunning.group_credit_control_user",
    )
    credit_last_review_id = fields.Many2one(
        "credit.review",
        string="Last Credit Review",
        compute="_compute_credit_review",
        groups="credit_dunning.group_credit_control_user",
        help="The last approved credit review of the customer in this company.",
    )
    credit_next_review_date = fields.Date(
        string="Next Credit Review",
        compute="_compute_credit_review",
        groups="credit_dunning.group_credit_control_user",
    )
    credit_deposit_percent = fields.Float(
        string="Deposit Required (%)",
        compute="_compute_credit_deposit_percent",
        help="Share of each order paid online before it is confirmed: the "
        "highest of the last approved credit review's deposit and the "
        "deposit of the customer's segment.",
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_credit_review(self):
        company = self.env.company
        commercial = self.commercial_partner_id
        Review = self.env["credit.review"]
        counts = dict(
            Review._read_group(
                [
                    ("partner_id", "in", commercial._origin.ids),
                    ("company_id", "=", company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        last = commercial._credit_last_reviews(company)
        for partner in self:
            entity = partner.commercial_partner_id._origin
            review = last.get(entity.id, Review)
            partner.credit_review_count = counts.get(entity, 0)
            partner.credit_last_review_id = review
            partner.credit_next_review_date = review.next_review_date

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_credit_deposit_percent(self):
        percents = self.commercial_partner_id._origin._credit_deposit_percents(
            self.env.company
        )
        for partner in self:
            partner.credit_deposit_percent = percents.get(
                partner.commercial_partner_id._origin.id, 0.0
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _credit_last_reviews(self, company):
        """{commercial partner id: its last approved review in ``company``}."""
        reviews = (
            self.env["credit.review"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "done"),
                ],
                order="date desc, id desc",
            )
        )
        last = {}
        for review in reviews:
            last.setdefault(review.partner_id.id, review.with_env(self.env))
        return last

    def _credit_deposit_percents(self, company):
        """{commercial partner id: deposit % (0-100)}: the highest of the
        last approved review's and the segment's, when segments exist."""
        last = self._credit_last_reviews(company)
        segment = getattr(type(self), "_credit_segment_deposit_percent", None)
        result = {}
        for partner in self.commercial_partner_id:
            percent = (
                last[partner.id].sudo().deposit_percent if partner.id in last else 0
            )
            if segment:
                by_segment = partner.with_company(company).sudo()
                by_segment = by_segment._credit_segment_deposit_percent(company)
                if isinstance(by_segment, dict):
                    by_segment = by_segment.get(partner.id, 0.0)
                percent = max(percent, by_segment or 0.0)
            result[partner.id] = percent
        return result

    def _credit_new_customers(self, company):
        """The commercial partners of self without a posted customer invoice
        nor an approved credit review in ``company``: nothing yet says how
        they pay."""
        commercial = self.commercial_partner_id
        if not commercial:
            return commercial
        invoiced = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ],
                ["commercial_partner_id"],
            )
        )
        reviewed = (
            self.env["credit.review"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "done"),
                ],
                ["partner_id"],
            )
        )
        known = {partner.id for (partner,) in invoiced + reviewed}
        return commercial.filtered(lambda p: p.id not in known)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_credit_reviews(self):
        """The credit reviews of the customer, a new one ready to record."""
        self.ensure_one()
        rights.check_credit_rights(
            self.env, self.env._("Only credit control sees the credit reviews.")
        )
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Reviews of %s", partner.display_name),
            "res_model": "credit.review",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", partner.id)],
            "context": {"default_partner_id": partner.id},
        }

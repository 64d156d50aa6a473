from odoo import api, fields, models

SEGMENT_CODES = [
    ("new", "New"),
    ("punctual", "Punctual"),
    ("late", "Late"),
    ("variable", "Variable"),
    ("at_risk", "At Risk"),
]
# the order in which a customer's figures are tried against the segments
SEGMENT_PRIORITY = ("at_risk", "new", "late", "variable", "punctual")


class CreditSegment(models.Model):
    _name = "credit.segment"
    _description = "Customer Payment Segment"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        SEGMENT_CODES,
        required=True,
        readonly=True,
        help="What the nightly computation puts in this segment.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",  # made with each company, they go with it
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    policy_id = fields.Many2one(
        "credit.dunning.policy",
        string="Dunning Policy",
        check_company=True,
        help="The ladder of the customers of this segment who have no policy of "
        "their own. Empty: the company's default policy.",
    )
    default_credit_limit = fields.Monetary(
        currency_field="currency_id",
        help="Given to the customers entering this segment who have no credit "
        "limit of their own. A limit set by hand is never changed. 0: none.",
    )
    deposit_percent = fields.Float(
        string="Deposit (%)",
        help="Share of an order the customers of this segment pay before it is "
        "confirmed. 0: no deposit.",
    )
    description = fields.Text(help="What the segment means, for the credit team.")
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "A company has one segment of each kind."
    )
    _deposit_percent_range = models.Constraint(
        "CHECK(deposit_percent >= 0 AND deposit_percent <= 100)",
        "A deposit is between 0 and 100 % of the order.",
    )
    _default_credit_limit_positive = models.Constraint(
        "CHECK(default_credit_limit >= 0)", "A default credit limit cannot be negative."
    )

    def _compute_partner_count(self):
        counts = dict(
            self.env["credit.payment.behaviour"]._read_group(
                [("segment_id", "in", self.ids)], ["segment_id"], ["__count"]
            )
        )
        for segment in self:
            segment.partner_count = counts.get(segment, 0)

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_dunning.res_partner_credit_action"
        )
        action["domain"] = [
            (
                "id",
                "in",
                self.env["credit.payment.behaviour"]
                .search([("segment_id", "=", self.id)])
                .partner_id.ids,
            )
        ]
        action["context"] = {"active_test": False}
        return action

    @api.model
    def _create_for_companies(self, companies=None):
        """The five segments of each company that lacks them (install, new
        company); a segment a manager archived is not made again."""
        companies = companies or self.env["res.company"].search([])  # pylint: disable=no-search-all
        existing = {
            (segment.company_id.id, segment.code)
            for segment in self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
        }
        names = dict(SEGMENT_CODES)
        vals_list = [
            {
                "name": names[code],
                "code": code,
                "sequence": sequence * 10,
                "company_id": company.id,
            }
            for company in companies
            for sequence, code in enumerate(
                ("new", "punctual", "late", "variable", "at_risk"), start=1
            )
            if (company.id, code) not in existing
        ]
        return self.sudo().create(vals_list)

    def _segments_by_code(self, company):
        """{code: segment} of ``company`` (active ones)."""
        segments = self.sudo().search([("company_id", "=", company.id)])
        return {segment.code: segment for segment in segments}

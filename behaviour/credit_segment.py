from odoo import api, fields, models

SEGMENT_CODES = [
    ("new", "New"),
    ("punctual", "Punctual"),
    ("late", "Late"),
    ("variable", "Variable"),
    ("at_risk", "At Risk"),
]


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
    description = fields.Text(
        translate=True, help="What the segment means, for the credit team."
    )
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
    def _bind_shipped_segments(self):
        """Before the shipped segments load: the main company's segments that
        an earlier version made by code become the shipped records, so that
        they are not made twice and take the shipped translations."""
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        if not main:
            return
        Data = self.env["ir.model.data"].sudo()
        existing = {
            segment.code: segment
            for segment in self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", main.id)])
        }
        Data.create(
            [
                {
                    "module": "credit_dunning",
                    "name": f"credit_segment_{code}",
                    "model": self._name,
                    "res_id": existing[code].id,
                    "noupdate": True,
                }
                for code, _label in SEGMENT_CODES
                if code in existing
                and not self.env.ref(
                    f"credit_dunning.credit_segment_{code}", raise_if_not_found=False
                )
            ]
        )

    @api.model
    def _shipped_segments(self):
        """{code: the shipped segment} (those of the main company)."""
        shipped = {}
        for code, _label in SEGMENT_CODES:
            segment = self.env.ref(
                f"credit_dunning.credit_segment_{code}", raise_if_not_found=False
            )
            if segment and segment._name == self._name:
                shipped[code] = segment.sudo()
        return shipped

    @api.model
    def _create_for_companies(self, companies=None):
        """The five segments of each company that lacks them (install, new
        company), copies of the shipped ones with their translations; a
        segment a manager archived is not made again."""
        companies = companies or self.env["res.company"].search([])  # pylint: disable=no-search-all
        existing = {
            (segment.company_id.id, segment.code)
            for segment in self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
        }
        shipped = self._shipped_segments()
        names = dict(SEGMENT_CODES)
        vals_list = [
            {
                "name": shipped[code].with_context(lang="en_US").name
                if code in shipped
                else names[code],
                "description": shipped[code].with_context(lang="en_US").description
                if code in shipped
                else False,
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
        segments = self.sudo().with_context(lang="en_US").create(vals_list)
        segments._copy_shipped_translations()
        return segments

    def _copy_shipped_translations(self):
        """Give these segments the translations of the shipped segment of
        their kind, where their name and description are still the shipped
        ones (a segment a manager renamed keeps its name)."""
        shipped = self._shipped_segments()
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        if not langs:
            return
        for code, segments in self.sudo().grouped("code").items():
            template = shipped.get(code)
            if not template:
                continue
            segments -= template
            for field in ("name", "description"):
                english = template.with_context(lang="en_US")[field]
                same = segments.filtered(
                    lambda s, field=field, english=english: (
                        s.with_context(lang="en_US")[field] == english
                    )
                )
                if not same or not english:
                    continue
                translations = {
                    lang: template.with_context(lang=lang)[field] for lang in langs
                }
                for segment in same:
                    segment.update_field_translations(field, translations)

    def _segments_by_code(self, company):
        """{code: segment} of ``company`` (active ones)."""
        segments = self.sudo().search([("company_id", "=", company.id)])
        return {segment.code: segment for segment in segments}

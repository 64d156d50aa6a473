from odoo import api, fields, models

from ..credit_control.rights import check_credit_rights

CREDIT_USER = "credit_dunning.group_credit_control_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_segment_id = fields.Many2one(
        "credit.segment",
        string="Payment Segment",
        company_dependent=True,
        readonly=True,
        groups=CREDIT_USER,
        help="Set each night from how the customer paid over the window "
        "(Settings > Credit Control).",
    )
    credit_behaviour_id = fields.Many2one(
        "credit.payment.behaviour",
        string="Payment Behaviour",
        compute="_compute_credit_behaviour_id",
        search="_search_credit_behaviour_id",
        groups=CREDIT_USER,
    )
    credit_behaviour_date = fields.Date(
        related="credit_behaviour_id.date",
        groups=CREDIT_USER,
        string="Behaviour Computed On",
    )
    credit_behaviour_invoices_paid = fields.Integer(
        related="credit_behaviour_id.invoices_paid",
        groups=CREDIT_USER,
        string="Invoices Paid",
    )
    credit_behaviour_on_time_rate = fields.Float(
        related="credit_behaviour_id.on_time_rate",
        groups=CREDIT_USER,
        string="Paid on Time (%)",
    )
    credit_behaviour_avg_days_late = fields.Float(
        related="credit_behaviour_id.avg_days_late",
        groups=CREDIT_USER,
        string="Average Days Late",
    )
    credit_behaviour_days_late_stddev = fields.Float(
        related="credit_behaviour_id.days_late_stddev",
        groups=CREDIT_USER,
        string="Spread of Days Late",
    )
    credit_behaviour_avg_days_to_pay = fields.Float(
        related="credit_behaviour_id.avg_days_to_pay",
        groups=CREDIT_USER,
        string="Average Days to Pay",
    )
    credit_behaviour_largest_overdue = fields.Monetary(
        related="credit_behaviour_id.largest_overdue",
        groups=CREDIT_USER,
        string="Largest Overdue",
        currency_field="credit_currency_id",
    )
    credit_behaviour_broken_promises = fields.Integer(
        related="credit_behaviour_id.broken_promises",
        groups=CREDIT_USER,
        string="Broken Promises",
    )
    credit_behaviour_disputes = fields.Integer(
        related="credit_behaviour_id.disputes", groups=CREDIT_USER, string="Disputes"
    )
    credit_behaviour_history = fields.Json(
        related="credit_behaviour_id.monthly_history",
        groups=CREDIT_USER,
        string="Payment History",
    )

    @api.depends_context("company")
    def _compute_credit_behaviour_id(self):
        company = self.env.company
        rows = (
            self.env["credit.payment.behaviour"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id._origin.ids),
                    ("company_id", "=", company.id),
                ]
            )
        )
        by_partner = {row.partner_id.id: row for row in rows}
        for partner in self:
            partner.credit_behaviour_id = by_partner.get(
                partner.commercial_partner_id._origin.id, False
            )

    def _search_credit_behaviour_id(self, operator, value):
        if operator != "in":
            return NotImplemented
        rows = (
            self.env["credit.payment.behaviour"]
            .sudo()
            .browse([v for v in value if v])
            .exists()
        )
        return [("commercial_partner_id", "in", rows.partner_id.ids)]

    # ------------------------------------------------------------------
    # Public methods
    # ------------------------------------------------------------------
    def action_credit_behaviour_refresh(self):
        """Recompute now the payment behaviour and segment of the selected
        customers in the current company (the cron does it every night)."""
        check_credit_rights(
            self.env,
            self.env._(
                "Only credit control users may recompute the payment behaviour "
                "of customers."
            ),
        )
        self.check_access("read")
        company = self.env.company
        self.env["credit.payment.behaviour"].sudo().with_company(
            company
        )._compute_for_company(company, partner_ids=self.commercial_partner_id.ids)
        return True

    def credit_payment_behaviour_get(self):
        """{commercial entity id: figures} of the customers in the current
        company, as the Credit Control tab shows them. Credit control users
        only."""
        check_credit_rights(
            self.env,
            self.env._(
                "Only credit control users may see the payment behaviour of customers."
            ),
        )
        self.check_access("read")
        company = self.env.company
        rows = (
            self.env["credit.payment.behaviour"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                ]
            )
        )
        return {
            row.partner_id.id: {
                "segment": row.segment_id.code or False,
                "segment_name": row.segment_id.name or False,
                "invoices_paid": row.invoices_paid,
                "on_time_rate": row.on_time_rate,
                "avg_days_late": row.avg_days_late,
                "days_late_stddev": row.days_late_stddev,
                "avg_days_to_pay": row.avg_days_to_pay,
                "largest_overdue": row.largest_overdue,
                "broken_promises": row.broken_promises,
                "disputes": row.disputes,
                "hold_reached": row.hold_reached,
                "monthly_history": row.monthly_history or [],
            }
            for row in rows
        }

    # ------------------------------------------------------------------
    # Policy and deposit by segment
    # ------------------------------------------------------------------
    def _credit_segment(self, company):
        """The segment of the customer in ``company`` (sudo: the order check
        and the ladder read it for any user)."""
        self.ensure_one()
        return self.sudo().with_company(company).commercial_partner_id.credit_segment_id

    def _credit_dunning_policy(self, company):
        """Its own policy, else its segment's, else the company's default."""
        self.ensure_one()
        own = self.with_company(company).commercial_partner_id.credit_dunning_policy_id
        if not own:
            segment_policy = self._credit_segment(company).policy_id
            if segment_policy.active:
                return segment_policy.with_env(self.env)
        return super()._credit_dunning_policy(company)

    def _credit_segment_deposit_percent(self, company):
        """The deposit (% of an order) the customer's segment asks in
        ``company``, 0 without one."""
        self.ensure_one()
        return self._credit_segment(company).deposit_percent or 0.0

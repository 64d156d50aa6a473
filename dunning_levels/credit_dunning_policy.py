from odoo import api, fields, models


class CreditDunningPolicy(models.Model):
    _name = "credit.dunning.policy"
    _description = "Dunning Policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the policy between all companies.",
    )
    level_ids = fields.One2many(
        "credit.dunning.level", "policy_id", string="Levels", copy=True
    )
    level_count = fields.Integer(
        string="Number of Levels", compute="_compute_level_count"
    )
    promise_grace_days = fields.Integer(
        string="Promise Grace Period (days)",
        default=3,
        help="Days after a promised payment date before the promise is broken.",
    )
    escalation_delay_days = fields.Integer(
        string="Escalation Deadline (days)",
        default=5,
        help="Days the salesperson has to act on an escalation before their "
        "manager is told.",
    )
    portal_promise_max_days = fields.Integer(
        string="Online Promise Horizon (days)",
        default=30,
        help="On the account page, a customer may promise to pay within this "
        "many days.",
    )
    portal_promise_block_months = fields.Integer(
        string="No Online Promise After a Broken One (months)",
        default=12,
        help="A customer who broke a payment promise in these last months "
        "cannot promise again on the account page: it must call the collector.",
    )
    portal_plan_max_instalments = fields.Integer(
        string="Maximum Instalments of a Payment Plan",
        default=6,
        help="The most instalments a customer may propose on the account page.",
    )
    portal_plan_max_days = fields.Integer(
        string="Payment Plan Horizon (days)",
        default=180,
        help="The last instalment of a proposed plan falls within this many days.",
    )
    note = fields.Html()

    @api.depends("level_ids")
    def _compute_level_count(self):
        counts = dict(
            self.env["credit.dunning.level"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.level_count = counts.get(policy, 0)

    @api.model
    def _set_shipped_policy_as_default(self):
        """Make the shipped ladder the default policy of the companies that
        have none (at install and update) and of the companies created later
        (an ir.default), so that Settings shows the policy in use."""
        policy = self.env.ref(
            "credit_dunning.credit_dunning_policy_default", raise_if_not_found=False
        )
        if not policy or not policy.active or policy.company_id:
            return
        self.env["res.company"].sudo().with_context(active_test=False).search(
            [("credit_dunning_policy_id", "=", False)]
        ).credit_dunning_policy_id = policy
        defaults = self.env["ir.default"].sudo()
        if defaults._get("res.company", "credit_dunning_policy_id") is None:
            defaults.set("res.company", "credit_dunning_policy_id", policy.id)

    @api.model
    def _get_default_policy(self, company):
        """The policy used by customers that have none of their own."""
        if company.credit_dunning_policy_id:
            return company.credit_dunning_policy_id
        default = self.env.ref(
            "credit_dunning.credit_dunning_policy_default", raise_if_not_found=False
        )
        if default and default.active:
            return default
        return self.search([("company_id", "in", [False, company.id])], limit=1)

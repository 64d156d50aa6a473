from odoo import api, fields, models
from odoo.exceptions import ValidationError

# what a level may do, in the order of its summary
ACTION_FIELDS = (
    "send_email",
    "send_sms",
    "send_letter",
    "create_call_activity",
    "create_escalation_activity",
    "set_credit_hold",
    "set_cash_only",
    "create_legal_activity",
    "charge_penalties",
)


class CreditDunningLevel(models.Model):
    _name = "credit.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, offset_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one(
        "credit.dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    offset_days = fields.Integer(
        string="Days from Due Date",
        required=True,
        help="Days from the invoice due date at which the level is reached; "
        "negative means before the due date.",
    )
    min_overdue_amount = fields.Float(
        string="Minimum Amount",
        help="The level only acts when the customer owes at least this amount "
        "(company currency) on the invoices concerned.",
    )
    # Actions
    send_email = fields.Boolean(string="Email")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "credit.dunning.communication")],
    )
    attach_statement = fields.Boolean(
        default=False,
        help="Also attach the statement (PDF) to the email; the email always "
        "links to the customer's account page, where the statement can be "
        "downloaded. A letter always has it.",
    )
    send_sms = fields.Boolean(string="SMS")
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "credit.dunning.communication")],
    )
    send_letter = fields.Boolean(
        string="Letter", help="Print a letter (PDF), listed for printing."
    )
    formal_notice = fields.Boolean(
        help="The letter is a formal notice (mise en demeure) that states the "
        "statutory late-payment penalties."
    )
    charge_penalties = fields.Boolean(
        help="Invoice the statutory late-payment interest and the recovery "
        "indemnity of the invoices reaching this level, once per invoice and level.",
    )
    create_call_activity = fields.Boolean(
        string="Call Task", help="A phone-call activity for the collector."
    )
    create_escalation_activity = fields.Boolean(
        string="Sales Rep Escalation",
        help="An activity for the customer's salesperson, with a deadline.",
    )
    set_credit_hold = fields.Boolean(
        string="Credit Hold", help="Put the customer on hold: new orders blocked."
    )
    set_cash_only = fields.Boolean(string="Cash Only")
    create_legal_activity = fields.Boolean(
        string="Legal Hand-off",
        help="A task for the customer's collector: hand the customer over to legal "
        "action or a collection agency.",
    )
    blocks_orders = fields.Boolean(
        compute="_compute_blocks_orders",
        store=True,
        help="This level or an earlier one of the policy puts the customer on "
        "hold: an invoice at this level keeps the hold.",
    )
    action_summary = fields.Char(
        string="Actions",
        compute="_compute_action_summary",
        help="What the level does when an invoice reaches it.",
    )
    communication_count = fields.Integer(
        string="Reminders",
        compute="_compute_communication_count",
        help="Reminders sent at this level.",
    )

    _offset_unique = models.Constraint(
        "UNIQUE(policy_id, offset_days)",
        "Two levels of a policy cannot have the same number of days.",
    )

    @api.depends(
        "policy_id.level_ids.set_credit_hold", "policy_id.level_ids.offset_days"
    )
    def _compute_blocks_orders(self):
        for level in self:
            level.blocks_orders = any(
                other.set_credit_hold and other.offset_days <= level.offset_days
                for other in level.policy_id.level_ids
            )

    @api.depends(*ACTION_FIELDS, "formal_notice")
    @api.depends_context("lang")
    def _compute_action_summary(self):
        formal_notice = self._fields["formal_notice"].get_description(self.env)
        for level in self:
            labels = level._action_labels()
            if level.formal_notice and (level.send_letter or level.send_email):
                labels.append(formal_notice["string"])
            level.action_summary = ", ".join(labels)

    def _compute_communication_count(self):
        counts = dict(
            self.env["credit.dunning.communication"]._read_group(
                [("level_id", "in", self.ids)], ["level_id"], ["__count"]
            )
        )
        for level in self:
            level.communication_count = counts.get(level, 0)

    @api.constrains("send_email", "mail_template_id", "send_sms", "sms_template_id")
    def _check_templates(self):
        for level in self:
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "Level “%s” sends an email: choose its email template.",
                        level.name,
                    )
                )
            if level.send_sms and not level.sms_template_id:
                raise ValidationError(
                    self.env._(
                        "Level “%s” sends an SMS: choose its SMS template.",
                        level.name,
                    )
                )

    @api.constrains("min_overdue_amount")
    def _check_min_overdue_amount(self):
        if any(level.min_overdue_amount < 0 for level in self):
            raise ValidationError(
                self.env._("The minimum amount of a level cannot be negative.")
            )

    def _action_labels(self):
        """Human-readable list of what the level does, for previews and logs."""
        self.ensure_one()
        labels = []
        for fname in ACTION_FIELDS:
            if self[fname]:
                labels.append(self._fields[fname].get_description(self.env)["string"])
        return labels

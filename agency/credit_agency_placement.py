from odoo import api, fields, models
from odoo.exceptions import UserError

from ..credit_control.rights import check_credit_rights

STATES = [
    ("in_progress", "In Progress"),
    ("recovered", "Recovered"),
    ("partial", "Partly Recovered"),
    ("uncollectible", "Closed - Uncollectible"),
]


class CreditAgencyPlacement(models.Model):
    """A customer's file handed over to a collection agency: the invoices
    placed leave the dunning ladder for good; what the agency recovers is
    booked as a customer payment and its fee as a vendor bill."""

    _name = "credit.agency.placement"
    _description = "Collection Agency Placement"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "reference"

    reference = fields.Char(
        required=True,
        tracking=True,
        help="The file's reference, as the agency knows it: the status files "
        "it sends back are matched on it.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        domain=[("is_company", "=", True)],
    )
    agency_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        readonly=True,
        domain=[("credit_agency", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Placement Date",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    whole_account = fields.Boolean(
        readonly=True,
        help="The customer was placed as a whole: the ladder stops for all its "
        "invoices while the agency works on the file, not only those placed.",
    )
    move_ids = fields.Many2many(
        "account.move",
        "credit_agency_placement_move_rel",
        "placement_id",
        "move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
    )
    state = fields.Selection(
        STATES,
        string="Status",
        default="in_progress",
        required=True,
        tracking=True,
        help="What the agency says of the file, by hand or from its status file.",
    )
    status_date = fields.Date(tracking=True, help="Date of the agency's last status.")
    agency_recovered = fields.Monetary(
        string="Recovered (Agency)",
        tracking=True,
        help="What the agency says it has recovered so far, in total.",
    )
    amount_placed = fields.Monetary(
        readonly=True, help="What the invoices still owed when they were placed."
    )
    amount_recovered = fields.Monetary(
        string="Recovered (Booked)",
        readonly=True,
        help="Customer payments booked for this file.",
    )
    amount_fee = fields.Monetary(
        string="Agency Fees", readonly=True, help="The agency's fee bills."
    )
    amount_written_off = fields.Monetary(readonly=True)
    amount_open = fields.Monetary(
        string="Still Owed",
        compute="_compute_amount_open",
        help="What the placed invoices still owe.",
    )
    amount_to_book = fields.Monetary(
        compute="_compute_amount_open",
        help="Recovered by the agency and not booked yet.",
    )
    payment_ids = fields.Many2many(
        "account.payment",
        "credit_agency_placement_payment_rel",
        "placement_id",
        "payment_id",
        string="Payments",
        readonly=True,
    )
    fee_move_ids = fields.Many2many(
        "account.move",
        "credit_agency_placement_fee_rel",
        "placement_id",
        "move_id",
        string="Fee Bills",
        readonly=True,
    )
    writeoff_move_ids = fields.Many2many(
        "account.move",
        "credit_agency_placement_writeoff_rel",
        "placement_id",
        "move_id",
        string="Write-Offs",
        readonly=True,
    )

    _reference_unique = models.Constraint(
        "UNIQUE (company_id, agency_id, reference)",
        "This agency already has a file with this reference.",
    )
    _agency_recovered_positive = models.Constraint(
        "CHECK (agency_recovered >= 0)",
        "The amount recovered by the agency cannot be negative.",
    )

    @api.depends(
        "move_ids.amount_residual_signed", "agency_recovered", "amount_recovered"
    )
    def _compute_amount_open(self):
        for placement in self:
            placement.amount_open = sum(
                placement.move_ids.mapped("amount_residual_signed")
            )
            placement.amount_to_book = max(
                placement.agency_recovered - placement.amount_recovered, 0.0
            )

    @api.model
    def _check_manager(self, message=None):
        check_credit_rights(
            self.env,
            message
            or self.env._(
                "Only a credit manager can place, book or write off collection "
                "agency files."
            ),
            manager=True,
        )

    def write(self, vals):
        # the status is set by hand from the form (or by the status import)
        if {"state", "status_date", "agency_recovered"} & vals.keys():
            self._check_manager()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_book_recovery(self):
        self._check_manager()
        self.ensure_one()
        if self.currency_id.is_zero(self.amount_open):
            raise UserError(self.env._("Nothing is owed any more on this file."))
        return self._open_wizard(
            "credit.agency.recovery.wizard", self.env._("Book Recovery")
        )

    def action_write_off(self):
        self._check_manager()
        self.ensure_one()
        if self.currency_id.is_zero(self.amount_open):
            raise UserError(self.env._("Nothing is owed any more on this file."))
        return self._open_wizard(
            "credit.agency.writeoff.wizard", self.env._("Write Off the Rest")
        )

    def action_export(self):
        check_credit_rights(
            self.env,
            self.env._("Only credit control users can export agency files."),
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Export for the Agency"),
            "res_model": "credit.agency.export.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_placement_ids": self.ids},
        }

    def action_open_moves(self):
        self.ensure_one()
        moves = self.move_ids | self.fee_move_ids | self.writeoff_move_ids
        moves |= self.payment_ids.move_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Journal Entries of %s", self.reference),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
        }

    def _open_wizard(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_placement_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _log(self, body):
        """A note on the placement and on its customer, as the current user."""
        for placement in self:
            placement.sudo().message_post(
                body=body,
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            placement.partner_id._credit_log_note(body)

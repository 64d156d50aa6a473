from odoo import api, fields, models


class CreditDeliveryApproveWizard(models.TransientModel):
    _name = "credit.delivery.approve.wizard"
    _description = "Approve a Delivery Waiting for Credit"

    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", required=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_partner_id"
    )
    problems = fields.Text(string="Waiting Because", compute="_compute_problems")
    reason = fields.Text(required=True)

    @api.depends("picking_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = (
                wizard.picking_id._credit_customer() if wizard.picking_id else False
            )

    @api.depends("picking_id")
    def _compute_problems(self):
        for wizard in self:
            picking = wizard.picking_id
            wizard.problems = picking and (
                "\n".join(
                    picking.sudo()._credit_delivery_problems().get(picking.id, [])
                )
                or picking.credit_block_reason
            )

    @api.model_create_multi
    def create(self, vals_list):
        # rights first: a salesperson or a portal user gets an AccessError
        # before any record exists
        self.env["stock.picking"]._credit_check_approver()
        return super().create(vals_list)

    def action_approve(self):
        self.env["stock.picking"]._credit_check_approver()
        self.ensure_one()
        self.picking_id._credit_approve(self.reason)
        return {"type": "ir.actions.act_window_close"}

from odoo import api, fields, models


class CreditDunningCommunication(models.Model):
    """Every reminder carries the link to the customer's account page (the
    email's table, the SMS, the letter's short URL and QR code)."""

    _inherit = "credit.dunning.communication"

    credit_portal_url = fields.Char(
        string="Account Page Link", compute="_compute_credit_portal_url"
    )
    credit_portal_short_url = fields.Char(
        string="Account Page Short Link", compute="_compute_credit_portal_url"
    )

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (
            "object.credit_portal_url",
            "object.credit_portal_short_url",
        )

    @api.depends("partner_id", "company_id")
    def _compute_credit_portal_url(self):
        Access = self.env["credit.dunning.access"].sudo()
        for company, comms in self.grouped("company_id").items():
            if not company:
                comms.credit_portal_url = comms.credit_portal_short_url = False
                continue
            links = Access._ensure_for(comms.partner_id, company, renew=False)
            for comm in comms:
                access = links.get(comm.partner_id.commercial_partner_id.id)
                comm.credit_portal_url = access._full_url() if access else False
                comm.credit_portal_short_url = access._short_url() if access else False

    def _send_documents(self):
        # the links first, for the whole batch, valid from today
        for company, comms in self.grouped("company_id").items():
            self.env["credit.dunning.access"].sudo()._ensure_for(
                comms.partner_id, company
            )
        return super()._send_documents()

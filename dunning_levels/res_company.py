from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _credit_document_gaps(self):
        """{need: what to fill in} for the settings the customer documents
        of this company need and lack: "address" (letters: the address block
        and the place of the date line), "bank" (the payment instructions),
        "email" (the sender of the reminder emails). Said to the staff,
        never printed for a customer."""
        self.ensure_one()
        gaps = {}
        if not (self.street and self.zip and self.city):
            gaps["address"] = self.env._(
                "the address of %s (street, ZIP code and city), printed on letters",
                self.name,
            )
        if not self.partner_id.bank_ids:
            gaps["bank"] = self.env._(
                "a bank account of %s, for the payment instructions", self.name
            )
        if not self.email:
            gaps["email"] = self.env._(
                "the email address of %s, the sender of the reminders", self.name
            )
        return gaps

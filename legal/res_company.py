from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # who signs the letters a customer receives (the formal notice above all)
    credit_signatory_name = fields.Char(
        string="Letters Signed By",
        help="The name printed under the letters to customers, e.g. the credit "
        "manager's. Empty: the letters are signed with the company's name only.",
    )
    credit_signatory_title = fields.Char(
        string="Signatory's Title",
        translate=True,
        help="Printed under the name, in the customer's language, e.g. "
        "“Credit Manager”.",
    )
    credit_signature = fields.Image(
        string="Signature Scan",
        max_width=600,
        max_height=200,
        help="A scan of the signature, printed above the name (optional).",
    )

    def _credit_sender_lines(self, recipient_country=None):
        """The sender's identity as a customer's document prints it, in the
        language of the context: address, registry number (SIREN or SIRET
        for a French company), VAT number with its label, phone and email.
        The country is printed only when it is not the recipient's."""
        self.ensure_one()
        env = self.env
        lines = [self.street, self.street2]
        lines.append(" ".join(filter(None, [self.zip, self.city])))
        if self.country_id and self.country_id != recipient_country:
            lines.append(self.country_id.name)
        registry = (self.company_registry or "").strip()
        if registry:
            digits = registry.replace(" ", "")
            if digits.isdigit() and len(digits) == 14:
                lines.append(env._("SIRET: %s", registry))
            elif digits.isdigit() and len(digits) == 9:
                lines.append(env._("SIREN: %s", registry))
            else:
                lines.append(env._("Company registry: %s", registry))
        if self.vat:
            europe = env.ref("base.europe", raise_if_not_found=False)
            if europe and self.country_id in europe.country_ids:
                lines.append(env._("Intra-community VAT number: %s", self.vat))
            else:
                lines.append(env._("VAT number: %s", self.vat))
        lines.append(" - ".join(filter(None, [self.phone, self.email])))
        return [line for line in lines if line]

    def _credit_postal_lines(self, partner):
        """The address of ``partner`` as the envelope's window shows it: no
        country line for a letter that stays in the sender's country (the
        post office's rule)."""
        self.ensure_one()
        lines = [
            line.strip()
            for line in partner._display_address(without_company=True).split("\n")
            if line.strip()
        ]
        country = partner.country_id
        if country and country == self.country_id and lines[-1:] == [country.name]:
            lines.pop()
        return lines

    def _credit_has_logo(self):
        """A logo of its own: Odoo's placeholder ("Your logo") is never
        printed on a customer's document."""
        self.ensure_one()
        return bool(self.logo) and not self.uses_default_logo

    def _credit_letterhead(self, recipient_country=None):
        """What the head of a customer's document prints of the sender."""
        self.ensure_one()
        return {
            "company": self,
            "sender": self._credit_sender_lines(recipient_country),
            "logo": self._credit_has_logo(),
        }

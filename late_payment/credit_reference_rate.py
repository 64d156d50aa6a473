from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditReferenceRate(models.Model):
    _name = "credit.reference.rate"
    _description = "Central Bank Reference Rate"
    _order = "company_id, date_from desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty for the published rates shared by every company; a company's "
        "own rate for a half-year wins over the shared one.",
    )
    date_from = fields.Date(
        string="Valid From",
        required=True,
        help="1 January or 1 July: the rate applies to the whole half-year.",
    )
    rate = fields.Float(
        string="Rate (%)",
        digits=(16, 4),
        required=True,
        help="Refinancing rate of the central bank in force on that day, in percent.",
    )
    note = fields.Char(string="Source")
    source_url = fields.Char(string="Source Link")

    _company_date_unique = models.Constraint(
        "UNIQUE(company_id, date_from)",
        "A half-year has one reference rate per company.",
    )
    _shared_date_unique = models.UniqueIndex(
        "(date_from) WHERE company_id IS NULL",
        "A half-year has one shared reference rate.",
    )

    @api.constrains("date_from", "rate")
    def _check_half_year(self):
        for record in self:
            if (record.date_from.month, record.date_from.day) not in ((1, 1), (7, 1)):
                raise ValidationError(
                    self.env._(
                        "A reference rate is valid from 1 January or 1 July, not %s.",
                        record.date_from,
                    )
                )
            if record.rate < 0:
                raise ValidationError(
                    self.env._("A reference rate cannot be negative.")
                )

    @api.depends("date_from", "rate")
    def _compute_display_name(self):
        for record in self:
            half = 1 if record.date_from and record.date_from.month == 1 else 2
            year = record.date_from.year if record.date_from else ""
            record.display_name = f"{year} H{half}: {record.rate:g} %"

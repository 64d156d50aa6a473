from odoo import api, fields, models

from .credit_review import check_review_editable

REFERENCE_KINDS = [
    ("supplier", "Supplier"),
    ("bank", "Bank"),
    ("insurer", "Credit Insurer"),
    ("rating", "Public Rating"),
]


class CreditReviewReference(models.Model):
    _name = "credit.review.reference"
    _description = "Credit Review Reference"
    _order = "review_id, sequence, id"
    _check_company_auto = True

    review_id = fields.Many2one(
        "credit.review",
        string="Credit Review",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="review_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="review_id.currency_id")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(REFERENCE_KINDS, required=True, default="supplier")
    name = fields.Char(
        string="Reference",
        required=True,
        help="The supplier, bank, credit insurer or rating agency asked.",
    )
    contact = fields.Char(help="Who answered: name, phone or email.")
    insurer_cover = fields.Monetary(
        currency_field="currency_id",
        help="The amount the credit insurer covers on this customer.",
    )
    rating = fields.Char(help="The rating or score given, as noted by hand.")
    notes = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["credit.review"].browse(
            {vals["review_id"] for vals in vals_list if vals.get("review_id")}
        )
        check_review_editable(reviews)
        return super().create(vals_list)

    def write(self, vals):
        check_review_editable(self.review_id)
        if vals.get("review_id"):
            check_review_editable(self.env["credit.review"].browse(vals["review_id"]))
        return super().write(vals)

    def unlink(self):
        check_review_editable(self.review_id)
        return super().unlink()

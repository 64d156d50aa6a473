"""The XLSX of the payment-delay table (D.441-6), downloaded from the wizard
(an ``ir.actions.act_url``, as Odoo's own exports are)."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PaymentDelayTableController(http.Controller):
    @http.route(
        "/credit_dunning/payment_delay_table/<int:table_id>/xlsx",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def payment_delay_table_xlsx(self, table_id):
        # the user's own table only (a table is a wizard: it is its
        # author's), then the ACL and credit control's group
        table = request.env["credit.payment.delay.table"].search(
            [("id", "=", table_id), ("create_uid", "=", request.env.uid)]
        )
        if not table:
            raise NotFound()
        content = table._xlsx_content()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX),
                ("Content-Disposition", content_disposition(table._xlsx_filename())),
            ],
        )

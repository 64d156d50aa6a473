"""The file name of several letters printed at once: Odoo names such a file
after the report ("Reminder Letter _ Statement.pdf"); the collector gets
"Letters to print - 2026-12-07.pdf", in its own language."""

import json

from odoo import http
from odoo.http import content_disposition, request

from odoo.addons.web.controllers.report import ReportController

LETTER_REPORT = "credit_dunning.report_dunning_letter"


class CreditLettersReportController(ReportController):
    @http.route()
    def report_download(self, data, context=None, token=None, readonly=True):
        response = super().report_download(
            data, context=context, token=token, readonly=readonly
        )
        url, kind = json.loads(data)[:2]
        if kind != "qweb-pdf" or f"/report/pdf/{LETTER_REPORT}/" not in url:
            return response
        docids = url.split(f"/report/pdf/{LETTER_REPORT}/")[1].split("?")[0]
        if len([x for x in docids.split(",") if x.isdigit()]) > 1:
            name = request.env[
                "credit.dunning.communication"
            ]._credit_letters_filename()
            response.headers.set("Content-Disposition", content_disposition(name))
        return response

"""Letters in one file: the selected letters rendered by one wkhtmltopdf call.

With several records, Odoo hands wkhtmltopdf one HTML file per record and
relies on a wkhtmltopdf built with a patched Qt to take them in one call (then
splits the PDF per record through its outlines). Debian's wkhtmltopdf is
built with an unpatched Qt: it refuses more than one input file, Odoo raises
"Tried to convert multiple documents in wkhtmltopdf using unpatched QT", and
the only way left is one call (about a second) per letter.

Here the letters become one HTML document, each letter starting on a new page
with its own address window and sender block, rendered by one call. For the
run, which keeps each reminder's own PDF, that document is cut back into one
PDF per reminder at the page where each letter starts (found by the link each
letter starts with: its customer's account page, which the letter prints as a
QR code); when the cut cannot be made with certainty, the letters are
rendered one by one as before.
"""

import io
import logging
import re

from lxml import etree
from lxml import html as lxml_html

from odoo import api, fields, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

_logger = logging.getLogger(__name__)

LETTER_REPORT = "credit_dunning.report_dunning_letter"
# the mark of a letter's first page: a link of one pixel, invisible
MARK_STYLE = (
    "display: block; width: 1px; height: 1px; overflow: hidden; "
    "font-size: 1px; line-height: 1px; color: transparent; text-decoration: none;"
)


def file_name(text):
    """No slash nor other character a file system refuses."""
    return re.sub(r'[\\/:*?"<>|]+', "_", text or "").strip() or "document"


class CreditDunningCommunication(models.Model):
    _inherit = "credit.dunning.communication"

    def action_print_letter(self):
        """One PDF of all the selected letters, in the customers' order,
        from one wkhtmltopdf call."""
        self._credit_check_user()
        letters = self.sorted(lambda c: (c.partner_id.name or "", c.id))
        return (
            self.env.ref("credit_dunning.action_report_dunning_letter")
            .with_context(credit_dunning_one_pdf=True)
            .report_action(letters)
        )

    def _credit_letter_filename(self):
        """The letter's file name, in its reader's language: what it is, to
        whom, which day ("Formal notice - Hôtel du Parc - 2026-12-07.pdf")."""
        self.ensure_one()
        env = self.with_context(lang=self.recipient_id.lang or self.partner_id.lang).env
        values = {
            "customer": self.partner_id.name,
            "date": fields.Date.to_string(self.date),
        }
        if self.level_id.formal_notice:
            name = env._("Formal notice - %(customer)s - %(date)s.pdf", **values)
        else:
            name = env._("Reminder - %(customer)s - %(date)s.pdf", **values)
        return file_name(name)

    @api.model
    def _credit_letters_filename(self):
        """The file of several letters, in the user's language."""
        today = fields.Date.to_string(fields.Date.context_today(self))
        return file_name(self.env._("Letters to print - %s.pdf", today))

    def _letters_pdf_marks(self):
        """{reminder id: the link its letter starts with}: the customer's
        account page (the letter prints it as a QR code and a short link),
        clickable in the PDF; the cut per reminder finds each letter's
        first page by it."""
        return {comm.id: comm.credit_portal_url or "" for comm in self}

    def _letters_pdf_pages(self, reader):
        """The index of the first page of each letter of ``self`` (in order)
        in the merged PDF, or None when they cannot all be found."""
        marks = self._letters_pdf_marks()
        expected = [marks[comm.id] for comm in self]
        if not all(expected):
            return None
        starts = []
        for page_index, page in enumerate(reader.pages):
            if len(starts) == len(expected):
                break
            links = {
                (annotation.get_object().get("/A") or {}).get("/URI")
                for annotation in page.get("/Annots") or []
            }
            if expected[len(starts)] in links:
                starts.append(page_index)
        if len(starts) != len(expected) or starts[0] != 0:
            return None
        return starts


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _credit_letters_one_call(self, report, res_ids, data):
        """Render the letters ``res_ids`` as one HTML document (a page break
        before each letter) with one wkhtmltopdf call; returns the PDF."""
        data = dict(data or {}, report_type="pdf", debug=False)
        self = self.with_context(debug=False)
        html = self._render_qweb_html(report, res_ids, data=data)[0]
        bodies, _ids, header, footer, paper_args = report.with_context(
            debug=False
        )._prepare_html(html, report_model=report.model)
        marks = self.env[report.model].browse(res_ids)._letters_pdf_marks()
        # one document: the first letter's page (its <head>, the report
        # assets) holding every letter's article, each on a new page and
        # starting with its mark (a link: wkhtmltopdf keeps links, not
        # anchors, when built with an unpatched Qt)
        documents = [lxml_html.fromstring(b) for b in bodies]
        target = documents[0].xpath("//body")[0]
        for index, document in enumerate(documents):
            for node in list(document.xpath("//body")[0]):
                if "article" in (node.get("class") or "").split():
                    mark = marks.get(int(node.get("data-oe-id") or 0))
                    if mark:
                        link = etree.Element("a", href=mark, style=MARK_STYLE)
                        link.text = "\u200b"
                        node.insert(0, link)
                    if index:
                        node.set(
                            "style",
                            "page-break-before: always; " + (node.get("style") or ""),
                        )
                if index:
                    target.append(node)
        body = "<!DOCTYPE html>" + etree.tostring(
            documents[0], method="html", encoding="unicode"
        )
        return self._run_wkhtmltopdf(
            [body],
            report_ref=report.report_name,
            header=header,
            footer=footer,
            landscape=self.env.context.get("landscape"),
            specific_paperformat_args=paper_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if (
            report.report_name != LETTER_REPORT
            or not res_ids
            or len(res_ids) < 2
            or len(res_ids) != len(set(res_ids))
            or report.attachment
            or self.get_wkhtmltopdf_state() == "install"
        ):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        pdf = self._credit_letters_one_call(report, list(res_ids), data)
        whole = {False: {"stream": io.BytesIO(pdf), "attachment": None}}
        if self.env.context.get("credit_dunning_one_pdf"):
            return whole  # printed as it is: no need to cut it
        comms = self.env[report.model].browse(res_ids)
        reader = PdfFileReader(io.BytesIO(pdf))
        starts = comms._letters_pdf_pages(reader)
        if starts is None:
            _logger.info(
                "Letters rendered in one call but not cut per reminder: one "
                "call per letter for their own PDFs"
            )
            return whole
        streams = {}
        bounds = [*starts, len(reader.pages)]
        for index, res_id in enumerate(res_ids):
            writer = PdfFileWriter()
            for page in range(bounds[index], bounds[index + 1]):
                writer.add_page(reader.pages[page])
            stream = io.BytesIO()
            writer.write(stream)
            streams[res_id] = {"stream": stream, "attachment": None}
        return streams

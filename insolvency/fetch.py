import logging

import requests

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

API_URL = (
    "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1/catalog/"
    "datasets/annonces-commerciales/records"
)
# SIRENs a request asks for, records a page brings
SIRENS_PER_REQUEST = 50
PAGE_SIZE = 100
# the first fetch looks back this far
FIRST_FETCH_DAYS = 90


class CreditInsolvencyProceeding(models.Model):
    _inherit = "credit.insolvency.proceeding"

    @api.model
    def _bodacc_get(self, params):
        """One page of the public API's answer (a dict). The tests replace
        it with recorded answers: no network in tests."""
        response = requests.get(API_URL, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    @api.model
    def _bodacc_fetch_records(self, sirens, since):
        """The collective-proceedings notices published since ``since`` of
        ``sirens``, as (number, record) pairs, page by page."""
        number = 0
        for start in range(0, len(sirens), SIRENS_PER_REQUEST):
            chunk = sirens[start : start + SIRENS_PER_REQUEST]
            registres = " OR ".join(f'registre="{siren}"' for siren in chunk)
            where = (
                'familleavis="collective" AND '
                f"dateparution>=date'{fields.Date.to_string(since)}' AND ({registres})"
            )
            offset = 0
            while True:
                page = self._bodacc_get(
                    {
                        "where": where,
                        "order_by": "dateparution",
                        "limit": PAGE_SIZE,
                        "offset": offset,
                    }
                )
                records = page.get("results") or []
                for record in records:
                    number += 1
                    yield number, record
                offset += len(records)
                if not records or offset >= int(page.get("total_count") or 0):
                    break

    @api.model
    def _cron_fetch_bodacc(self):
        """The daily watch (Settings > Credit Control > Watch the BODACC, off
        by default): the notices of the customers' SIRENs, imported like a
        downloaded export. A company whose fetch fails is retried the next
        day from the same date."""
        today = fields.Date.context_today(self)
        companies = (
            self.env["res.company"].sudo().search([("credit_bodacc_fetch", "=", True)])
        )
        for company in companies:
            sirens = sorted(self.sudo()._siren_map(company))
            if not sirens:
                continue
            since = company.credit_bodacc_last_fetch or fields.Date.subtract(
                today, days=FIRST_FETCH_DAYS
            )
            try:
                with self.env.cr.savepoint():
                    result = self.sudo()._import_notices(
                        self._bodacc_fetch_records(sirens, since), company
                    )
            except (requests.RequestException, ValueError) as error:
                _logger.warning(
                    "BODACC fetch for %s failed, retried tomorrow: %s",
                    company.name,
                    error,
                )
                continue
            company.credit_bodacc_last_fetch = today
            _logger.info(
                "BODACC fetch for %s: %s", company.name, self._import_summary(result)
            )
            if self.env.context.get("cron_id"):
                # each company's notices kept, whatever befalls the next one
                self.env["ir.cron"]._commit_progress(processed=1)

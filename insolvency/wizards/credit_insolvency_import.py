import base64
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ...credit_control.rights import check_credit_rights
from .. import bodacc

_logger = logging.getLogger(__name__)

# lines of unreadable notices named in the summary, at most
MAX_REPORTED = 10


class CreditInsolvencyImport(models.TransientModel):
    """Import the BODACC's "annonces commerciales" export (CSV or JSON, as
    downloaded from the public portal): the collective-proceedings notices of
    the customers, matched on their SIREN, open or update their proceedings.
    A file imported twice changes nothing; a file that is no export writes
    nothing."""

    _name = "credit.insolvency.import"
    _description = "Import BODACC Notices"

    file = fields.Binary()
    filename = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.model
    def _check_manager(self):
        check_credit_rights(
            self.env,
            self.env._("Only a credit manager can import BODACC notices."),
            manager=True,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        return super().create(vals_list)

    def action_import(self):
        self._check_manager()
        self.ensure_one()
        self.env["credit.insolvency.proceeding"]._check_user_company(self.company_id)
        if not self.file:
            raise UserError(
                self.env._("The file is empty: choose the BODACC export to import.")
            )
        try:
            rows = bodacc.read_records(
                base64.b64decode(self.file or b""), self.filename or ""
            )
            result = (
                self.env["credit.insolvency.proceeding"]
                .sudo()
                ._import_notices(rows, self.company_id)
            )
        except bodacc.BodaccFileError as error:
            raise UserError(
                self.env._(
                    "%(file)s cannot be imported: %(error)s. Download the "
                    "“annonces commerciales” export of the BODACC portal as CSV "
                    "or JSON.",
                    file=self.filename or self.env._("The file"),
                    error=self.env["credit.insolvency.proceeding"]._bodacc_error_text(
                        error
                    ),
                )
            ) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if result["errors"] else "success",
                "title": self.env._("BODACC notices imported from %s", self.filename),
                "message": self.env["credit.insolvency.proceeding"]._import_summary(
                    result
                ),
                "sticky": bool(result["errors"]),
                "next": {
                    "type": "ir.actions.act_window_close",
                },
            },
        }


class CreditInsolvencyProceeding(models.Model):
    _inherit = "credit.insolvency.proceeding"

    @api.model
    def _siren_map(self, company):
        """{SIREN: [commercial entity ids]} of the customers ``company`` sees
        (a customer rank, or receivables in the company: not the suppliers),
        from the registry number (SIREN or SIRET), the French VAT number and
        the SIRET field of the French localisation when installed. Two
        customers with one SIREN (a duplicate) both match. One query."""
        siret = (
            SQL("p.siret")
            if "siret" in self.env["res.partner"]._fields
            and self.env["res.partner"]._fields["siret"].store
            else SQL("NULL")
        )
        self.env["res.partner"].flush_model(
            ["company_registry", "vat", "active", "customer_rank"]
        )
        self.env["account.move"].flush_model(["commercial_partner_id", "move_type"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, p.company_registry, p.vat, %(siret)s
                  FROM res_partner p
                 WHERE p.active
                   AND (p.is_company OR p.parent_id IS NULL)
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   AND (p.company_registry IS NOT NULL OR p.vat ILIKE 'FR%%'
                        OR %(siret)s IS NOT NULL)
                   AND (p.customer_rank > 0 OR EXISTS (
                        SELECT 1 FROM account_move m
                         WHERE m.commercial_partner_id = p.id
                           AND m.company_id = %(company)s
                           AND m.move_type IN ('out_invoice', 'out_refund')))
                 ORDER BY p.id
                """,
                siret=siret,
                company=company.id,
            )
        )
        sirens = defaultdict(list)
        for partner_id, registry, vat, siret_value in rows:
            found = {
                bodacc.siren_of(value) for value in (registry, siret_value, vat)
            } - {None}
            for siren in found:
                sirens[siren].append(partner_id)
        return sirens

    @api.model
    def _import_notices(self, rows, company):
        """Apply the collective-proceedings notices of ``rows`` ((line,
        record) pairs) to the customers of ``company``. Returns the figures
        {read, matched, opened, updated, known, errors: [(line, message)]}.
        A notice already recorded is skipped; the notices of a customer are
        applied in the order of their publication."""
        sirens = self._siren_map(company)
        result = {
            "read": 0,
            "matched": 0,
            "opened": 0,
            "updated": 0,
            "known": 0,
            "errors": [],
        }
        matched = []
        for line, record in rows:
            result["read"] += 1
            if record is None:
                result["errors"].append((line, bodacc.BodaccRecordError("no_record")))
                continue
            if not bodacc.is_collective(record):
                continue
            partner_ids = {
                partner_id
                for siren in bodacc.sirens_of_registre(record.get("registre"))
                for partner_id in sirens.get(siren, ())
            }
            if not partner_ids:
                continue  # not a customer's: ignored
            try:
                notice = bodacc.notice_of(record)
            except bodacc.BodaccRecordError as error:
                result["errors"].append((line, error))
                continue
            for partner_id in sorted(partner_ids):
                matched.append((notice, partner_id))
        result["matched"] = len(matched)
        if not matched:
            return result
        Notice = self.env["credit.insolvency.notice"].sudo()
        known = set(
            Notice.search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("bodacc_id", "in", [notice["id"] for notice, _p in matched]),
                ],
                ["bodacc_id"],
            ).mapped("bodacc_id")
        )
        # each customer's new notices, in the order of their publication
        matched.sort(key=lambda item: (item[0]["published"], item[0]["id"]))
        by_partner = defaultdict(list)
        for notice, partner_id in matched:
            if notice["id"] in known:
                result["known"] += 1
                continue
            known.add(notice["id"])
            by_partner[partner_id].append(notice)
        if not by_partner:
            return result
        existing = {
            proceeding.partner_id.id
            for proceeding in self.search(
                [
                    ("partner_id", "in", list(by_partner)),
                    ("company_id", "=", company.id),
                ]
            )
        }
        # the customers' first proceedings, opened together; every other
        # notice after them, one by one
        openings = {
            partner_id: notices[0]
            for partner_id, notices in by_partner.items()
            if partner_id not in existing and self._bodacc_opens(notices[0])
        }
        created = self.with_company(company).create(
            [
                self._bodacc_proceeding_vals(notice, partner_id, company)
                for partner_id, notice in openings.items()
            ]
        )
        result["opened"] += len(created)
        created._bodacc_check_missed_opening(
            {p.id: openings[p.partner_id.id] for p in created}
        )
        notice_vals = [
            self._bodacc_notice_vals(openings[proceeding.partner_id.id], proceeding)
            for proceeding in created
        ]
        for partner_id, notices in by_partner.items():
            for notice in notices[1:] if partner_id in openings else notices:
                proceeding, opened = self._apply_bodacc_notice(
                    notice, partner_id, company
                )
                result["opened" if opened else "updated"] += 1
                notice_vals.append(
                    self._bodacc_notice_vals(
                        notice, proceeding, partner_id=partner_id, company=company
                    )
                )
        Notice.create(notice_vals)
        return result

    @api.model
    def _bodacc_proceeding_vals(self, notice, partner_id, company):
        return {
            "partner_id": partner_id,
            "company_id": company.id,
            "kind": notice["kind"],
            "court": notice["court"],
            "judgment_date": notice["judgment_date"],
            "publication_date": max(notice["published"], notice["judgment_date"]),
            "nature": notice["nature"],
            "details": notice["details"],
            "source": "bodacc",
            "url": notice["url"],
            "stage": {"plan": "plan", "closure": "closed"}.get(
                notice["event"], "opened"
            ),
        }

    @api.model
    def _bodacc_notice_vals(self, notice, proceeding, partner_id=None, company=None):
        return {
            "bodacc_id": notice["id"],
            "partner_id": partner_id or proceeding.partner_id.id,
            "company_id": (company or proceeding.company_id).id,
            "proceeding_id": proceeding.id,
            "publication_date": notice["published"],
            "judgment_date": notice["judgment_date"],
            "court": notice["court"],
            "nature": notice["nature"],
            "event": notice["event"],
            "url": notice["url"],
        }

    @api.model
    def _bodacc_opens(self, notice):
        """An opening judgment, or a liquidation pronounced (a conversion):
        proceedings start. A plan or a closure of proceedings the company
        does not know does not: its dates are not the opening's."""
        return notice["event"] in ("opening", "conversion") and bool(notice["kind"])

    def _bodacc_check_missed_opening(self, notices):
        """Proceedings opened by a liquidation pronounced whose opening
        judgment was not imported: their cut-off and deadline come from this
        judgment, to be checked ({proceeding id: notice})."""
        for proceeding in self:
            if notices[proceeding.id]["event"] == "opening":
                continue
            proceeding.message_post(
                body=self.env._(
                    "The opening judgment of these proceedings was not imported: "
                    "the judgment date and the deadline to declare come from this "
                    "later judgment. Check them against the BODACC and correct "
                    "them if the proceedings opened earlier."
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _apply_bodacc_notice(self, notice, partner_id, company):
        """Record one notice of a customer: (its proceedings, whether they
        were opened by it). An opening judgment opens proceedings, also after
        a plan or a closure (the plan failed: new proceedings); any other
        notice updates the customer's proceedings. One of proceedings the
        company does not know (a plan, a closure, another judgment) is noted
        on the customer only. An opening published for proceedings recorded
        by hand gives them the published dates."""
        proceeding = self.search(
            [("partner_id", "=", partner_id), ("company_id", "=", company.id)],
            order="judgment_date desc, id desc",
            limit=1,
        )
        opens = self._bodacc_opens(notice)
        new = opens and (
            not proceeding
            or (
                proceeding.stage in ("plan", "closed")
                and notice["judgment_date"] > proceeding.judgment_date
            )
        )
        if not proceeding and not new:
            partner = self.env["res.partner"].browse(partner_id)
            partner._credit_log_note(
                self.env._(
                    "BODACC of %(published)s: %(nature)s (%(court)s).",
                    published=format_date(self.env, notice["published"]),
                    nature=notice["nature"],
                    court=notice["court"] or "-",
                )
            )
            return self.browse(), False
        if new:
            proceeding = self.with_company(company).create(
                self._bodacc_proceeding_vals(notice, partner_id, company)
            )
            proceeding._bodacc_check_missed_opening({proceeding.id: notice})
        elif notice["event"] == "opening" and proceeding.source == "manual":
            proceeding._bodacc_confirm(notice)
        else:
            proceeding._apply_notice(notice)
        return proceeding, new

    @api.model
    def _bodacc_error_text(self, error):
        """What is wrong with the file or a notice, in the user's language."""
        texts = {
            "empty": self.env._("the file is empty"),
            "not_utf8": self.env._("the file is not UTF-8 text"),
            "format": self.env._("expected the CSV or JSON export"),
            "json": self.env._("the JSON cannot be read (%s)", error.detail),
            "csv": self.env._("the CSV cannot be read (%s)", error.detail),
            "no_list": self.env._("not a BODACC export: no list of records"),
            "no_column": self.env._("not a BODACC export: no column %s", error.detail),
            "no_record": self.env._("not a record"),
            "no_id": self.env._("no notice id"),
            "no_date": self.env._("no date"),
            "date": self.env._("unreadable date “%s”", error.detail),
            "no_judgment": self.env._("no judgment"),
            "judgment_json": self.env._("the judgment is not readable JSON"),
            "no_nature": self.env._("the judgment has no nature"),
        }
        return texts.get(getattr(error, "code", None), str(error))

    @api.model
    def _import_summary(self, result):
        parts = [
            self.env._(
                "%(read)s notice(s) read, %(matched)s of your customers: "
                "%(opened)s proceedings opened, %(updated)s updated, %(known)s "
                "already known.",
                read=result["read"],
                matched=result["matched"],
                opened=result["opened"],
                updated=result["updated"],
                known=result["known"],
            )
        ]
        if result["errors"]:
            lines = ", ".join(
                self.env._(
                    "line %(line)s (%(error)s)",
                    line=line,
                    error=self._bodacc_error_text(error),
                )
                for line, error in result["errors"][:MAX_REPORTED]
            )
            parts.append(
                self.env._(
                    "%(count)s notice(s) could not be read and were left out: "
                    "%(lines)s. Record those proceedings by hand if they are "
                    "your customers'.",
                    count=len(result["errors"]),
                    lines=lines,
                )
            )
        return " ".join(parts)

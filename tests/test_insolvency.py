import base64
import csv
import io
import json
import subprocess
from datetime import date
from unittest.mock import patch

import requests
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_amount, mute_logger

from .common import CreditDunningCommon

# the columns of the BODACC portal's CSV export of "annonces commerciales"
EXPORT_COLUMNS = [
    "id",
    "publicationavis",
    "publicationavis_facette",
    "parution",
    "dateparution",
    "numeroannonce",
    "typeavis",
    "typeavis_lib",
    "familleavis",
    "familleavis_lib",
    "numerodepartement",
    "departement_nom_officiel",
    "region_code",
    "region_nom_officiel",
    "tribunal",
    "commercant",
    "ville",
    "registre",
    "cp",
    "pdf_parution_subfolder",
    "listepersonnes",
    "listeetablissements",
    "jugement",
    "acte",
    "modificationsgenerales",
    "radiationaurcs",
    "depot",
    "listeprecedentexploitant",
    "listeprecedentproprietaire",
    "divers",
    "url_complete",
]
OPENING_RJ = "Jugement d'ouverture d'une procédure de redressement judiciaire"
COURT = "Tribunal de commerce de Lyon"


def notice(
    notice_id,
    siren,
    published,
    nature=OPENING_RJ,
    judged=None,
    family="collective",
    jugement=None,
):
    """A record as the export writes it."""
    formatted = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    if jugement is None:
        jugement = json.dumps(
            {
                "type": "initial",
                "famille": nature.split(" d'")[0],
                "nature": nature,
                "date": judged or published,
                "complementJugement": f"{nature}, désignant mandataire judiciaire "
                "SELARL MJ Synergie, 87 rue de Sèze 69006 Lyon.",
            },
            ensure_ascii=False,
        )
    return {
        "id": notice_id,
        "publicationavis": "A",
        "publicationavis_facette": "Bodacc A",
        "parution": "20260219",
        "dateparution": published,
        "numeroannonce": "1234",
        "typeavis": "annonce",
        "typeavis_lib": "Avis initial",
        "familleavis": family,
        "familleavis_lib": "Procédures collectives"
        if family == "collective"
        else "Ventes et cessions",
        "numerodepartement": "69",
        "departement_nom_officiel": "Rhône",
        "region_code": "84",
        "region_nom_officiel": "Auvergne-Rhône-Alpes",
        "tribunal": COURT,
        "commercant": "GARAGE LEFEVRE",
        "ville": "Lyon",
        "registre": f"{formatted},{siren}",
        "cp": "69003",
        "pdf_parution_subfolder": "",
        "listepersonnes": "",
        "listeetablissements": "",
        "jugement": jugement,
        "acte": "",
        "modificationsgenerales": "",
        "radiationaurcs": "",
        "depot": "",
        "listeprecedentexploitant": "",
        "listeprecedentproprietaire": "",
        "divers": "",
        "url_complete": f"https://www.bodacc.fr/pages/annonces-commerciales-detail/?q.id=id:{notice_id}",
    }


def export_csv(records):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode("utf-8-sig")


@tagged("post_install", "-at_install")
class TestInsolvency(CreditDunningCommon):
    """A customer goes under: the BODACC notice is imported, the customer
    is held, its invoices from before the judgment leave the ladder, and
    the claim is declared in time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["credit.reference.rate"].create(
            {"date_from": "2026-07-01", "rate": 2.0, "company_id": cls.company.id}
        )
        cls.lefevre = cls._make_customer(
            "Garage Lefèvre",
            "compta@lefevre.example.com",
            company_registry="812 345 678 00017",
        )
        cls.by_vat = cls._make_customer(
            "Transports Aubert", "aubert@example.com", vat="FR32987654321"
        )
        # a supplier with the SIREN of a notice: not a customer, not matched
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Fournitures Martin",
                "is_company": True,
                "company_registry": "111222333",
                "supplier_rank": 1,
            }
        )

    def setUp(self):
        super().setUp()
        # the customer's invoices: A and C due before the judgment of
        # 3 November 2026, B not yet due then, D after it
        self.inv_a = self._invoice(self.lefevre, 1000, "2026-07-01", due="2026-07-31")
        self._pay(self.inv_a, 200, "2026-09-15")
        self.inv_b = self._invoice(self.lefevre, 600, "2026-10-20", due="2026-11-19")
        self.inv_c = self._invoice(self.lefevre, 400, "2026-10-01", due="2026-10-31")
        self.inv_d = self._invoice(self.lefevre, 300, "2026-11-05", due="2026-11-20")

    # ------------------------------------------------------------------
    def _import(self, content, filename, user=None):
        wizard = (
            self.env["credit.insolvency.import"]
            .with_user(user or self.credit_manager)
            .create({"file": base64.b64encode(content), "filename": filename})
        )
        return wizard.action_import()

    def _proceedings(self, partner=None):
        return self.env["credit.insolvency.proceeding"].search(
            [("partner_id", "=", (partner or self.lefevre).id)]
        )

    def _export(self):
        """The opening judgment of Garage Lefèvre, a notice of an unknown
        company, the same notice again, an unreadable one of the customer,
        and a sale notice of the customer (not a proceeding)."""
        return export_csv(
            [
                notice("A202600001", "812345678", "2026-11-12", judged="2026-11-03"),
                notice("A202600002", "111222333", "2026-11-12"),
                notice("A202600001", "812345678", "2026-11-12", judged="2026-11-03"),
                notice("A202600003", "812345678", "2026-11-13", jugement="{not json"),
                notice("A202600004", "812345678", "2026-11-14", family="vente"),
            ]
        )

    # ------------------------------------------------------------------
    @freeze_time("2026-12-07")
    def test_csv_export_holds_the_customer_and_stops_the_ladder(self):
        result = self._import(self._export(), "annonces-commerciales.csv")
        message = result["params"]["message"]
        self.assertIn("5 notice(s) read, 2 of your customers", message)
        self.assertIn("1 proceedings opened", message)
        self.assertIn("line 5 (the judgment is not readable JSON)", message)
        self.assertEqual(result["params"]["type"], "warning")

        proceeding = self._proceedings()
        self.assertEqual(len(proceeding), 1)
        self.assertEqual(proceeding.kind, "receivership")
        self.assertEqual(proceeding.court, COURT)
        self.assertEqual(proceeding.judgment_date, date(2026, 11, 3))
        self.assertEqual(proceeding.publication_date, date(2026, 11, 12))
        self.assertEqual(proceeding.declare_deadline, date(2027, 1, 12))
        self.assertIn("MJ Synergie", proceeding.details)
        self.assertFalse(self._proceedings(self.by_vat))
        self.assertFalse(self._proceedings(self.supplier))
        self.assertFalse(self.supplier.credit_hold)
        # held and cash-only, the judgment as the reason
        self.assertTrue(self.lefevre.credit_hold)
        self.assertTrue(self.lefevre.cash_only)
        self.assertEqual(self.lefevre.credit_hold_origin, "insolvency")
        self.assertIn(COURT, self.lefevre.credit_hold_reason)
        self.assertIn("11/03/2026", self.lefevre.credit_hold_reason)
        self.assertTrue(
            self.lefevre.message_ids.filtered(lambda m: OPENING_RJ in (m.body or ""))
        )
        # the credit manager's task: publication + 2 months
        task = proceeding.activity_ids.filtered(
            lambda a: a.user_id == self.credit_manager
        )
        self.assertEqual(len(task), 1)
        self.assertEqual(task.date_deadline, date(2027, 1, 12))
        self.assertEqual(
            task.activity_type_id,
            self.env.ref("credit_dunning.mail_activity_type_insolvency_declare"),
        )
        self.assertEqual(task.summary, "Declare the claim: Garage Lefèvre")
        # the at-stake amount: A 800 + B 600 + C 400 still owed
        self.assertAlmostEqual(proceeding.amount_at_stake, 1800.0)
        self.assertEqual(proceeding.move_ids, self.inv_a | self.inv_b | self.inv_c)

        # the run reminds the invoice after the judgment only: not even A,
        # imported at go-live at the formal notice, whose next level would
        # charge the penalties
        formal = self.env.ref("credit_dunning.credit_dunning_level_formal_notice")
        self.env.ref("credit_dunning.credit_dunning_level_cash_only").write(
            {"charge_penalties": True}
        )
        self.inv_a.dunning_level_id = formal
        run = self.env["credit.dunning.run"]._run(self.company)
        comms = run.communication_ids.filtered(lambda c: c.partner_id == self.lefevre)
        self.assertEqual(comms.line_ids.move_id, self.inv_d)
        self.assertFalse((self.inv_b | self.inv_c).filtered("dunning_level_id"))
        self.assertEqual(self.inv_a.dunning_level_id, formal)
        self.assertFalse(
            self.env["account.move.line"].search(
                [("credit_penalty_source_move_id", "=", self.inv_a.id)]
            )
        )

        # imported again: nothing changes
        counts = (
            len(proceeding.activity_ids),
            len(proceeding.notice_ids),
            len(proceeding.message_ids),
            len(self.lefevre.message_ids),
        )
        again = self._import(self._export(), "annonces-commerciales.csv")
        self.assertIn(
            "0 proceedings opened, 0 updated, 2 already known",
            again["params"]["message"],
        )
        proceeding.invalidate_recordset()
        self.lefevre.invalidate_recordset()
        self.assertEqual(
            counts,
            (
                len(proceeding.activity_ids),
                len(proceeding.notice_ids),
                len(proceeding.message_ids),
                len(self.lefevre.message_ids),
            ),
        )
        self.assertEqual(len(self._proceedings()), 1)

    @freeze_time("2026-12-07")
    def test_json_export_and_later_notices(self):
        records = [
            notice(
                "B1",
                "987654321",
                "2026-11-12",
                nature="Jugement d'ouverture d'une procédure de sauvegarde",
                judged="2026-11-03",
            ),
            notice(
                "B2",
                "987654321",
                "2026-11-30",
                nature="Jugement de conversion en liquidation judiciaire de la "
                "procédure de sauvegarde",
                judged="2026-11-25",
            ),
        ]
        # the export gives the judgment as a JSON text; the API's answer shape
        # is accepted too
        self._import(
            json.dumps({"total_count": 1, "results": records[:1]}).encode(),
            "annonces.json",
        )
        proceeding = self._proceedings(self.by_vat)
        self.assertEqual(proceeding.kind, "safeguard")
        self.assertEqual(proceeding.stage, "opened")
        self._import(json.dumps(records).encode(), "annonces.json")
        self.assertEqual(proceeding.kind, "liquidation")
        self.assertEqual(len(proceeding.notice_ids), 2)
        self.assertTrue(
            proceeding.message_ids.filtered(
                lambda m: "conversion en liquidation" in (m.body or "")
            )
        )
        # the plan, then the closure
        self._import(
            json.dumps(
                [
                    notice(
                        "B3",
                        "987654321",
                        "2026-12-02",
                        nature="Jugement de clôture pour insuffisance d'actif",
                        judged="2026-12-01",
                    )
                ]
            ).encode(),
            "annonces.json",
        )
        self.assertEqual(proceeding.stage, "closed")
        # still one proceedings: the deadline did not move
        self.assertEqual(len(self._proceedings(self.by_vat)), 1)
        self.assertEqual(proceeding.declare_deadline, date(2027, 1, 12))

        # a notice of proceedings the company does not know (a plan): a
        # note on the customer, once, however often the file is imported
        other = json.dumps(
            [
                notice(
                    "B4",
                    "812345678",
                    "2026-12-03",
                    nature="Jugement arrêtant le plan de redressement",
                )
            ]
        ).encode()
        self._import(other, "annonces.json")
        notes = self.lefevre.message_ids.filtered(
            lambda m: "arrêtant le plan" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        again = self._import(other, "annonces.json")
        self.assertIn("1 already known", again["params"]["message"])
        self.lefevre.invalidate_recordset(["message_ids"])
        self.assertEqual(
            self.lefevre.message_ids.filtered(
                lambda m: "arrêtant le plan" in (m.body or "")
            ),
            notes,
        )
        # a plan is not an opening: its dates would be wrong ones
        self.assertFalse(self._proceedings())
        self.assertFalse(self.lefevre.credit_hold)

    def test_bad_files_write_nothing(self):
        bad = [
            (b"nom;date\nA;B\n", "notices.csv", "no column"),
            (b"\xff\xfe\x00garbage", "notices.csv", "not UTF-8"),
            (b"{not json", "notices.json", "JSON cannot be read"),
            (b'{"total_count": 0}', "notices.json", "no list of records"),
            (b'[{"name": "x"}]', "notices.json", "no column id"),
            (b"", "notices.csv", "empty"),
            (self._export(), "notices.pdf", "CSV or JSON"),
        ]
        for content, filename, message in bad:
            with self.subTest(filename=filename, message=message):
                with self.assertRaisesRegex(UserError, message):
                    self._import(content, filename)
        self.assertFalse(self.env["credit.insolvency.proceeding"].search([]))
        self.assertFalse(self.lefevre.credit_hold)

    @freeze_time("2026-12-07")
    def test_declaration_amounts_to_the_cent(self):
        # paid on the judgment's day and after it: does not lower the claim
        self._pay(self.inv_c, 100, "2026-11-03")
        self._pay(self.inv_c, 300, "2026-11-20")
        # a credit note of before the judgment, open: deducted
        refund = self._invoice(self.lefevre, 50, "2026-10-25", move_type="out_refund")
        self._import(self._export(), "annonces-commerciales.csv")
        proceeding = self._proceedings()
        values = proceeding._declaration_values()
        # by hand, at 2% + 10 points = 12% a year from the day after the due
        # date to the day before the judgment (3 November 2026, which stops
        # the interest from its first hour):
        # A: 1,000 from 1 Aug to 15 Sep (46 days), 800 from 16 Sep to 2 Nov
        #    (48 days): 1000 x 12% x 46/365 + 800 x 12% x 48/365 = 27.75
        # C: 400 from 1 to 2 Nov (2 days): 400 x 12% x 2/365 = 0.26
        interest_a = round(1000 * 0.12 * 46 / 365 + 800 * 0.12 * 48 / 365, 2)
        interest_c = round(400 * 0.12 * 2 / 365, 2)
        self.assertEqual((interest_a, interest_c), (27.75, 0.26))
        indemnity = self.company._credit_recovery_indemnity_company_currency(
            date(2026, 11, 3)
        )
        self.assertGreater(indemnity, 0)
        # A 800 + C 400 - the credit note 50
        self.assertEqual(values["principal_due"], 1150.0)
        self.assertEqual(values["principal_not_due"], 600.0)  # B
        self.assertAlmostEqual(values["interest"], 28.01, places=2)
        self.assertEqual([h["rate"] for h in values["half_years"]], [12.0])
        self.assertAlmostEqual(values["indemnity"], 2 * indemnity, places=2)
        self.assertAlmostEqual(
            values["total"], 1150 + 600 + 28.01 + 2 * indemnity, places=2
        )
        self.assertEqual(
            [row["move"] for row in values["rows"]],
            [self.inv_a, self.inv_c, self.inv_b, refund],
        )
        self.assertEqual(
            [row["owed"] for row in values["rows"]], [800.0, 400.0, 600.0, -50.0]
        )

    @freeze_time("2026-12-07")
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_declaration_in_french_recorded_as_sent(self):
        self._french_customer()
        self._import(self._export(), "annonces-commerciales.csv")
        proceeding = self._proceedings()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.credit_manager)
            ._render_qweb_html(
                "credit_dunning.report_credit_insolvency_claim", proceeding.ids
            )[0]
            .decode()
        )
        for text in (
            "Déclaration de créance",
            "Garage Lefèvre",
            COURT,
            "03/11/2026",
            "Total déclaré",
            "Je certifie sincère et véritable",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Declaration of claim", html)
        self.assertNotIn("Total declared", html)

        wizard = (
            self.env["credit.insolvency.declare.wizard"]
            .with_user(self.credit_manager)
            .create({"proceeding_id": proceeding.id})
        )
        total = proceeding._declaration_values()["total"]
        self.assertEqual(wizard.amount, total)
        wizard.representative = "SELARL MJ Synergie"
        wizard.action_record()
        self.assertEqual(proceeding.claim_state, "declared")
        self.assertEqual(proceeding.claim_date, date(2026, 12, 7))
        self.assertEqual(proceeding.claim_amount, total)
        self.assertEqual(proceeding.representative, "SELARL MJ Synergie")
        attachment = proceeding.declaration_attachment_id
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=attachment.raw,
            check=True,
            capture_output=True,
        ).stdout.decode()
        text = " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split(" "))
        self.assertIn("Déclaration de créance", text)
        french = self.env["res.partner"].with_context(lang="fr_FR").env
        indemnity = self.company._credit_recovery_indemnity_company_currency(
            date(2026, 11, 3)
        )
        # principal 1,800 + interest 28.01 + two indemnities (see above)
        self.assertAlmostEqual(total, 1828.01 + 2 * indemnity, places=2)
        amount = format_amount(french, total, self.currency)
        self.assertIn(
            f"Total déclaré {amount}".replace("\xa0", " "), " ".join(text.split())
        )
        self.assertIn("Fait à Lyon, le", text)
        self.assertEqual(
            attachment.name,
            "Déclaration de créance - Garage Lefèvre - 2026-12-07.pdf",
        )
        # the manager's task is done, with what was declared
        self.assertFalse(
            proceeding.activity_ids.filtered(lambda a: a.user_id == self.credit_manager)
        )

    @freeze_time("2026-12-07")
    def test_retention_of_title_gives_a_second_task(self):
        term = self.env["account.payment.term"].create(
            {"name": "30 days, retention of title", "credit_retention_of_title": True}
        )
        self.inv_a.with_context(skip_readonly_check=True).invoice_payment_term_id = term
        self._import(self._export(), "annonces-commerciales.csv")
        proceeding = self._proceedings()
        self.assertTrue(proceeding.retention_of_title)
        tasks = proceeding.activity_ids.filtered(
            lambda a: a.user_id == self.credit_manager
        )
        self.assertEqual(
            sorted(tasks.mapped("date_deadline")),
            [date(2027, 1, 12), date(2027, 2, 12)],
        )

    @freeze_time("2026-12-07")
    def test_recorded_by_hand(self):
        proceeding = (
            self.env["credit.insolvency.proceeding"]
            .with_user(self.credit_manager)
            .create(
                {
                    "partner_id": self.contact.id,  # a contact: its company
                    "kind": "liquidation",
                    "court": "Tribunal de commerce de Paris",
                    "judgment_date": "2026-11-20",
                    "publication_date": "2026-11-28",
                }
            )
        )
        self.assertEqual(proceeding.partner_id, self.customer)
        self.assertEqual(proceeding.source, "manual")
        self.assertTrue(self.customer.credit_hold and self.customer.cash_only)
        self.assertEqual(proceeding.declare_deadline, date(2027, 1, 28))
        task = proceeding.activity_ids.filtered(
            lambda a: a.user_id == self.credit_manager
        )
        self.assertEqual(task.date_deadline, date(2027, 1, 28))
        # the publication, corrected by hand: the task follows
        proceeding.with_user(self.credit_manager).publication_date = "2026-11-30"
        self.assertEqual(task.date_deadline, date(2027, 1, 30))
        # then published in the BODACC: its dates replace the typed ones
        self.customer.company_registry = "44455566600012"
        self._import(
            export_csv(
                [
                    notice(
                        "D1",
                        "444555666",
                        "2026-11-26",
                        nature="Jugement d'ouverture d'une procédure de "
                        "liquidation judiciaire",
                        judged="2026-11-19",
                    )
                ]
            ),
            "a.csv",
        )
        self.assertEqual(proceeding.source, "bodacc")
        self.assertEqual(proceeding.judgment_date, date(2026, 11, 19))
        self.assertEqual(task.date_deadline, date(2027, 1, 26))
        self.assertEqual(proceeding.court, COURT)
        with self.assertRaisesRegex(ValidationError, "cannot be before its judgment"):
            with self.cr.savepoint():
                self.env["credit.insolvency.proceeding"].create(
                    {
                        "partner_id": self.lefevre.id,
                        "kind": "liquidation",
                        "judgment_date": "2026-11-20",
                        "publication_date": "2026-11-10",
                    }
                )

    def test_rights(self):
        content = base64.b64encode(self._export())
        for user in (self.collector, self.salesman, self.internal_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["credit.insolvency.import"].with_user(user).create(
                        {"file": content, "filename": "a.csv"}
                    )
                with self.assertRaises(AccessError):
                    self.env["credit.insolvency.proceeding"].with_user(user).create(
                        {
                            "partner_id": self.lefevre.id,
                            "kind": "liquidation",
                            "judgment_date": "2026-11-20",
                            "publication_date": "2026-11-28",
                        }
                    )
        other = self.env["res.company"].create({"name": "Filiale Sud"})
        wizard = (
            self.env["credit.insolvency.import"]
            .with_user(self.credit_manager)
            .create({"file": content, "filename": "a.csv", "company_id": other.id})
        )
        with self.assertRaisesRegex(AccessError, "Switch to Filiale Sud"):
            wizard.action_import()
        self.assertFalse(self.env["credit.insolvency.proceeding"].search([]))
        self._import(self._export(), "a.csv")
        proceeding = self._proceedings()
        # the collector reads; only a manager prints, records, books
        proceeding.with_user(self.collector).read(["amount_at_stake", "claim_state"])
        portal = self.env["res.users"].create(
            {
                "name": "Portal Lefèvre",
                "login": "portal_lefevre",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        for user in (self.collector, self.salesman, portal):
            for method in (
                "action_print_declaration",
                "action_record_declaration",
                "action_book_dividend",
                "action_open_moves",
            ):
                if method == "action_open_moves" and user == self.collector:
                    continue  # reading them is the collector's right
                with (
                    self.subTest(user=user.login, method=method),
                    self.assertRaises(AccessError),
                ):
                    getattr(proceeding.with_user(user), method)()
            if user != self.collector:
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(user).browse(
                        self.lefevre.id
                    ).action_credit_insolvency()
        action = (
            self.env["res.partner"]
            .with_user(self.collector)
            .browse(self.lefevre.id)
            .action_credit_insolvency()
        )
        self.assertEqual(action["domain"], [("partner_id", "=", self.lefevre.id)])
        with self.assertRaises(AccessError):
            proceeding.with_user(self.collector).write({"claim_state": "admitted"})
        with self.assertRaises(AccessError):
            proceeding.with_user(self.salesman).read(["claim_state"])
        with self.assertRaises(AccessError):
            proceeding.with_user(portal).read(["claim_state"])
        with self.assertRaises(AccessError):
            self.env["credit.insolvency.import"].with_user(portal).create(
                {"file": content, "filename": "a.csv"}
            )

    @freeze_time("2026-12-07")
    def test_no_agency_for_the_claims(self):
        agency = self.env["res.partner"].create(
            {"name": "Recouvrement Express", "credit_agency": True}
        )
        self._import(self._export(), "a.csv")
        wizard = (
            self.env["credit.agency.place.wizard"]
            .with_user(self.credit_manager)
            .create(
                {
                    "partner_id": self.lefevre.id,
                    "agency_id": agency.id,
                    "reference": "F-1",
                    "move_ids": [(6, 0, (self.inv_a | self.inv_d).ids)],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "in insolvency proceedings"):
            wizard.action_place()
        action = (
            self.env["credit.agency.place.wizard"]
            .with_user(self.credit_manager)
            ._open_for(self.lefevre)
        )
        self.assertEqual(action["context"]["default_move_ids"], self.inv_d.ids)

    @freeze_time("2026-12-07")
    def test_hold_of_the_ladder_stays_once_in_proceedings(self):
        self.lefevre._credit_set_flags(
            "formal notice unanswered", origin="dunning", credit_hold=True
        )
        self._import(self._export(), "a.csv")
        self.assertEqual(self.lefevre.credit_hold_origin, "dunning")
        for invoice in self.inv_a | self.inv_b | self.inv_c | self.inv_d:
            self._pay(invoice, invoice.amount_residual, "2026-12-07")
        self.assertFalse(self.lefevre._credit_release_automatic_holds())
        self.assertTrue(self.lefevre.credit_hold)

    @freeze_time("2026-12-07")
    def test_dividend_booked_as_a_payment(self):
        self._import(self._export(), "a.csv")
        proceeding = self._proceedings()
        proceeding.with_user(self.credit_manager).write(
            {"claim_state": "admitted", "claim_amount_admitted": 1800}
        )
        wizard = (
            self.env["credit.insolvency.dividend.wizard"]
            .with_user(self.credit_manager)
            .create({"proceeding_id": proceeding.id, "amount": 900})
        )
        with self.assertRaisesRegex(UserError, "more than"):
            wizard.amount = 5000
            wizard.action_book()
        wizard.amount = 900
        wizard.action_book()
        self.assertEqual(proceeding.amount_dividends, 900)
        # oldest due first: A (800), then 100 of C
        self.assertIn(self.inv_a.payment_state, ("in_payment", "paid"))
        self.assertAlmostEqual(self.inv_c.amount_residual, 300)
        self.assertAlmostEqual(proceeding.amount_at_stake, 900)
        self.assertEqual(proceeding.claim_state, "admitted")

    @freeze_time("2026-12-07")
    def test_cockpit_and_worklist(self):
        self._import(self._export(), "a.csv")
        data = (
            self.env["credit.cockpit"].with_user(self.credit_manager).get_cockpit_data()
        )
        figure = next(f for f in data["figures"] if f["key"] == "proceedings")
        self.assertAlmostEqual(figure["value"], 1800.0)
        self.assertIn("Garage Lefèvre by 01/12/2027 (36 days left)", figure["tooltip"])
        worklist = (
            self.env["credit.cockpit"].with_user(self.credit_manager).get_worklist()
        )
        section = next(
            s for s in worklist["sections"] if s["key"] == "claims_to_declare"
        )
        self.assertEqual(section["count"], 1)
        self.assertEqual(section["lines"][0]["partner"], "Garage Lefèvre")
        self.assertEqual(section["lines"][0]["date"], "2027-01-12")
        # the collector has no such task
        collector = self.env["credit.cockpit"].with_user(self.collector).get_worklist()
        section = next(
            s for s in collector["sections"] if s["key"] == "claims_to_declare"
        )
        self.assertEqual(section["count"], 0)


@tagged("post_install", "-at_install")
class TestBodaccFetch(CreditDunningCommon):
    """The daily watch, on recorded answers of the public API (no network
    in tests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lefevre = cls._make_customer(
            "Garage Lefèvre", company_registry="81234567800017"
        )

    def _answers(self, pages):
        calls = []

        def get(model, params):
            calls.append(params)
            return pages[len(calls) - 1]

        return calls, patch.object(
            type(self.env["credit.insolvency.proceeding"]), "_bodacc_get", get
        )

    @freeze_time("2026-12-07")
    def test_fetch_imports_the_customers_notices(self):
        record = notice("C1", "812345678", "2026-11-12", judged="2026-11-03")
        # the API gives the SIRENs as a list
        record["registre"] = ["812 345 678", "812345678"]
        pages = [{"total_count": 1, "results": [record]}]
        calls, patched = self._answers(pages)
        Proceeding = self.env["credit.insolvency.proceeding"]
        with patched:
            Proceeding._cron_fetch_bodacc()
        self.assertEqual(calls, [], "off by default: no call")
        self.company.credit_bodacc_fetch = True
        with patched:
            Proceeding._cron_fetch_bodacc()
        self.assertEqual(len(calls), 1)
        self.assertIn('registre="812345678"', calls[0]["where"])
        self.assertIn("dateparution>=date'2026-09-08'", calls[0]["where"])
        proceeding = Proceeding.search([("partner_id", "=", self.lefevre.id)])
        self.assertEqual(proceeding.source, "bodacc")
        self.assertTrue(self.lefevre.credit_hold)
        self.assertEqual(self.company.credit_bodacc_last_fetch, date(2026, 12, 7))

    @freeze_time("2026-12-07")
    def test_failed_fetch_changes_nothing(self):
        self.company.credit_bodacc_fetch = True

        def fail(model, params):
            raise requests.ConnectionError("no route to host")

        with (
            patch.object(
                type(self.env["credit.insolvency.proceeding"]), "_bodacc_get", fail
            ),
            mute_logger("odoo.addons.credit_dunning.insolvency.fetch"),
        ):
            self.env["credit.insolvency.proceeding"]._cron_fetch_bodacc()
        self.assertFalse(self.company.credit_bodacc_last_fetch)
        self.assertFalse(self.env["credit.insolvency.proceeding"].search([]))

import io
import subprocess
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditDunningCommon

TODAY = "2026-03-15"
CLOSING = date(2025, 12, 31)
BUCKETS = ["0", "1_30", "31_60", "61_90", "91", "total"]


class PaymentDelayTableCommon(CreditDunningCommon):
    @classmethod
    def _on(cls, day, action):
        """Do ``action`` on ``day`` with the chatter on: the dispute flag's
        tracking, dated that day, is the dispute's history."""
        # end what the creation left pending (it discards the tracking of
        # records made with tracking disabled until the transaction ends)
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        with freeze_time(day):
            action()
            cls.env.flush_all()
            cls.env.cr.precommit.run()

    @classmethod
    def _tracked(cls, move):
        return move.with_context(tracking_disable=False, mail_notrack=False)

    def _table(self, user, **values):
        return (
            self.env["credit.payment.delay.table"]
            .with_user(user)
            .create({"date_closing": CLOSING, **values})
        )


@tagged("post_install", "-at_install")
class TestPaymentDelayTable(PaymentDelayTableCommon):
    """The table at the closing of 31 December 2025 (financial year = the
    calendar year 2025), computed by hand below from the invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Company B")["company"]
        cls.vendor = cls._make_customer("Fournisseur Acier", supplier_rank=1)
        tax = cls.env["account.tax"].create(
            {"name": "TVA 20 %", "amount": 20.0, "type_tax_use": "sale"}
        )
        inv = cls._invoice
        # --- issued (customer invoices) -----------------------------------
        # A: 1,000 excl. VAT, 1,200 incl.; due 9 Jan 2026: -9 days -> "0 day"
        cls.inv_a = inv(cls.customer, 1000, "2025-12-10", due="2026-01-09", post=False)
        cls.inv_a.invoice_line_ids.tax_ids = tax
        cls.inv_a.action_post()
        # B: 500 due 1 Dec 2025 (30 days late), 200 paid 15 Dec 2025 -> 300
        cls.inv_b = inv(cls.customer, 500, "2025-11-01", due="2025-12-01")
        cls._pay(cls.inv_b, 200, date(2025, 12, 15))
        # C: 800 due 31 Oct 2025 (61 days), 300 paid in 2026: 800 at closing
        cls.inv_c = inv(cls.customer, 800, "2025-10-01", due="2025-10-31")
        cls._pay(cls.inv_c, 300, date(2026, 1, 10))
        # D: 400 due 1 Oct 2025 (91 days), paid in full in 2026: 400
        cls.inv_d = inv(cls.customer, 400, "2025-09-01", due="2025-10-01")
        cls._pay(cls.inv_d, pay_date=date(2026, 2, 1))
        # E: 600 paid in full before the closing: out
        cls.inv_e = inv(cls.customer, 600, "2025-06-01", due="2025-07-01")
        cls._pay(cls.inv_e, pay_date=date(2025, 11, 15))
        # F: 700 due 14 Nov 2025, disputed 1 Dec 2025, still at the closing:
        # (B), resolved after the closing
        cls.inv_f = inv(cls.customer, 700, "2025-10-15", due="2025-11-14")
        cls._on(
            "2025-12-01",
            lambda: cls._tracked(cls.inv_f)._dunning_set_dispute("Damaged"),
        )
        cls._on(
            "2026-02-01",
            lambda: cls._tracked(cls.inv_f).action_dunning_resolve_dispute(),
        )
        # G: 250 due 20 Nov 2025 (41 days), disputed and resolved before the
        # closing: in (A), 31-60 days
        cls.inv_g = inv(cls.customer, 250, "2025-11-10", due="2025-11-20")
        cls._on(
            "2025-11-25",
            lambda: cls._tracked(cls.inv_g)._dunning_set_dispute("Wrong price"),
        )
        cls._on(
            "2025-12-20",
            lambda: cls._tracked(cls.inv_g).action_dunning_resolve_dispute(),
        )
        # H: 150 due 11 Dec 2025 (20 days), disputed after the closing (still
        # today): in (A), 1-30 days
        cls.inv_h = inv(cls.customer, 150, "2025-12-01", due="2025-12-11")
        cls._on(
            "2026-01-05",
            lambda: cls._tracked(cls.inv_h)._dunning_set_dispute("Not received"),
        )
        # a credit note of 100, open: not an invoice, only less turnover
        inv(cls.customer, 100, "2025-11-20", move_type="out_refund")
        # a draft of 350 dated before the closing: (B); one after: nothing
        cls.draft = inv(cls.customer, 350, "2025-12-20", post=False)
        inv(cls.customer, 999, "2026-01-05", post=False)
        # after the closing, and in another company: nothing
        inv(cls.customer, 555, "2026-01-03", due="2026-01-03")
        inv(cls.customer, 900, "2025-10-01", due="2025-10-31", company=cls.company_2)
        # --- received (vendor bills) -------------------------------------
        bill = cls._bill
        # P1: 2,000 due 19 Jan 2026 (-19 days): "0 day"
        bill(2000, "2025-12-20", "2026-01-19")
        # P2: 1,000 due 15 Dec 2025 (16 days), 400 paid 20 Dec 2025, 300 in
        # 2026: 600
        p2 = bill(1000, "2025-11-15", "2025-12-15")
        cls._pay(p2, 400, date(2025, 12, 20))
        cls._pay(p2, 300, date(2026, 1, 15))
        # P3: 300 due 31 Aug 2025 (122 days): 91 days and more
        bill(300, "2025-08-01", "2025-08-31")
        # P4: 450 paid before the closing: out
        p4 = bill(450, "2025-10-01", "2025-11-01")
        cls._pay(p4, pay_date=date(2025, 11, 30))
        # a draft bill of 120: (B); a refund of 200: less purchases
        bill(120, "2025-12-28", "2026-01-28", post=False)
        bill(200, "2025-12-05", "2025-12-05", move_type="in_refund")

    @classmethod
    def _bill(cls, amount, bill_date, due, post=True, move_type="in_invoice"):
        return cls._invoice(
            cls.vendor, amount, bill_date, due=due, post=post, move_type=move_type
        )

    @freeze_time(TODAY)
    def test_figures_by_hand(self):
        table = self._table(self.collector)
        table.action_compute()
        issued, received = table.figures["issued"], table.figures["received"]
        # issued: 0 day A 1,200; 1-30 B 300 + H 150; 31-60 G 250; 61-90 C 800;
        # 91+ D 400; total (1 day and more) 5 invoices, 1,900
        self.assertEqual([issued["count"][k] for k in BUCKETS], [1, 2, 1, 1, 1, 5])
        self.assertEqual(
            [issued["amount"][k] for k in BUCKETS],
            [1200.0, 450.0, 250.0, 800.0, 400.0, 1900.0],
        )
        # turnover excl. VAT: A..H 1,000 + 500 + 800 + 400 + 600 + 700 + 250
        # + 150 = 4,400, less the credit note 100 = 4,300
        self.assertEqual(issued["base"], 4300.0)
        # 1,200 / 4,300 = 27.907 %, 450 -> 10.465, 250 -> 5.814, 800 -> 18.605,
        # 400 -> 9.302, 1,900 -> 44.186
        self.assertEqual(
            [issued["percent"][k] for k in BUCKETS],
            [27.91, 10.47, 5.81, 18.6, 9.3, 44.19],
        )
        # (B): F disputed at the closing 700 + the draft 350
        self.assertEqual(
            (issued["excluded_count"], issued["excluded_amount"]), (2, 1050.0)
        )
        self.assertEqual((issued["disputed_count"], issued["draft_count"]), (1, 1))
        # received: 0 day P1 2,000; 1-30 P2 600; 91+ P3 300; total 2, 900
        self.assertEqual([received["count"][k] for k in BUCKETS], [1, 1, 0, 0, 1, 2])
        self.assertEqual(
            [received["amount"][k] for k in BUCKETS],
            [2000.0, 600.0, 0.0, 0.0, 300.0, 900.0],
        )
        # purchases: 2,000 + 1,000 + 300 + 450 - 200 = 3,550; 2,000 / 3,550 =
        # 56.338 %, 600 -> 16.901, 300 -> 8.451, 900 -> 25.352
        self.assertEqual(received["base"], 3550.0)
        self.assertEqual(
            [received["percent"][k] for k in BUCKETS],
            [56.34, 16.9, 0.0, 0.0, 8.45, 25.35],
        )
        self.assertEqual(
            (received["excluded_count"], received["excluded_amount"]), (1, 120.0)
        )

    @freeze_time(TODAY)
    def test_the_dispute_history_is_read_from_the_chatter(self):
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "dunning_dispute"),
                ("mail_message_id.res_id", "in", (self.inv_f | self.inv_g).ids),
            ]
        )
        self.assertEqual(len(tracked), 4)
        # today, F is no longer disputed and H is: the closing decides
        self.assertFalse(self.inv_f.dunning_dispute)
        self.assertTrue(self.inv_h.dunning_dispute)

    @freeze_time(TODAY)
    def test_defaults_and_form(self):
        table = self.env["credit.payment.delay.table"].with_user(self.collector)
        table = table.create({})
        # the end of the last closed financial year
        self.assertEqual(table.date_closing, CLOSING)
        self.assertEqual(table.company_id, self.company)
        self.assertEqual(table.reference_terms, "contractual")
        self.assertFalse(table.table_html)
        table.action_compute()
        self.assertIn("Total (1 day and more)", table.table_html)
        action = table.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(
            action["url"], f"/credit_dunning/payment_delay_table/{table.id}/xlsx"
        )
        self.assertEqual(
            table.action_print_pdf()["report_name"],
            "credit_dunning.report_payment_delay_table",
        )

    @freeze_time(TODAY)
    def test_xlsx(self):
        table = self._table(
            self.credit_manager,
            reference_terms="legal",
            reference_terms_detail="60 days",
        )
        table.action_compute()
        book = openpyxl.load_workbook(io.BytesIO(table._xlsx_content()))
        sheet = book["D.441-6"]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertIn("article D.441-6", rows[0][0])
        self.assertEqual(rows[2][1], "12/31/2025")
        # received first (I.-1°), as in the arrêté
        self.assertTrue(rows[4][0].startswith("Article D.441 I.-1°"))
        self.assertEqual(
            rows[5][1:7],
            [
                "0 day (indicative)",
                "1 to 30 days",
                "31 to 60 days",
                "61 to 90 days",
                "91 days and more",
                "Total (1 day and more)",
            ],
        )
        self.assertEqual(rows[6][0], "Number of invoices concerned")
        self.assertEqual(rows[6][1:7], [1, 1, 0, 0, 1, 2])
        self.assertEqual(rows[7][1:7], [2000, 600, 0, 0, 300, 900])
        self.assertEqual(rows[8][1:7], [56.34, 16.9, 0, 0, 8.45, 25.35])
        self.assertEqual(rows[9][1], 3550)
        self.assertEqual(rows[11][1], 1)
        self.assertEqual(rows[12][1], 120)
        self.assertTrue(rows[14][0].startswith("Article D.441 I.-2°"))
        self.assertEqual(
            rows[16][0:7], ["Number of invoices concerned", 1, 2, 1, 1, 1, 5]
        )
        self.assertEqual(rows[17][1:7], [1200, 450, 250, 800, 400, 1900])
        self.assertEqual(rows[18][1:7], [27.91, 10.47, 5.81, 18.6, 9.3, 44.19])
        self.assertEqual(rows[19][1], 4300)
        self.assertEqual((rows[21][1], rows[22][1]), (2, 1050))
        terms = [row[1] for row in rows[25:27]]
        self.assertTrue(terms[0].startswith("☐ Contractual terms"))
        self.assertTrue(terms[1].startswith("☒ Legal terms"))
        self.assertTrue(terms[1].endswith("(60 days)"))

    @freeze_time(TODAY)
    def test_french_html(self):
        self._french_customer()
        table = self._table(self.collector)
        table.action_compute()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.collector)
            .with_context(lang="fr_FR")
            ._render_qweb_html("credit_dunning.report_payment_delay_table", table.ids)[
                0
            ]
            .decode()
        )
        for text in (
            "Article D.441 I.-1° : Factures reçues non réglées à la date de "
            "clôture de l'exercice dont le terme est échu",
            "Article D.441 I.-2° : Factures émises non réglées à la date de "
            "clôture de l'exercice dont le terme est échu",
            "0 jour (indicatif)",
            "1 à 30 jours",
            "31 à 60 jours",
            "61 à 90 jours",
            "91 jours et plus",
            "Total (1 jour et plus)",
            "Nombre de factures concernées",
            "Montant total des factures concernées (TTC)",
            "Pourcentage du chiffre d'affaires de l'exercice (HT)",
            "Pourcentage du montant total des achats de l'exercice (HT)",
            "(B) Factures exclues du (A) relatives à des dettes et créances "
            "litigieuses ou non comptabilisées",
            "Délais de paiement de référence utilisés",
            "Délais de paiement utilisés pour le calcul des retards de paiement",
            "31/12/2025",
            "44,19",
        ):
            self.assertIn(text.replace("'", "&#39;"), html.replace("'", "&#39;"))
        self.assertNotIn("1 to 30 days", html)
        # on screen too, in the user's language (the web client's context)
        self.assertIn(
            "Montant total des factures exclues (TTC)",
            table.with_context(lang="fr_FR").table_html,
        )

    @freeze_time(TODAY)
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_pdf(self):
        table = self._table(self.credit_manager)
        table.action_compute()
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_user(self.credit_manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_dunning.report_payment_delay_table", table.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            check=True,
            capture_output=True,
        ).stdout.decode()
        for label in (
            "0 day (indicative)",
            "Total (1 day and more)",
            "Number of invoices concerned",
            "(A) Late payment brackets",
            "Number of excluded invoices",
            "12/31/2025",
        ):
            self.assertIn(label, text)

    @freeze_time(TODAY)
    def test_rights(self):
        portal = new_test_user(self.env, login="cd_portal", groups="base.group_portal")
        for user in (self.salesman, self.internal_user, portal):
            with self.assertRaises(AccessError, msg=user.login):
                self._table(user)
        table = self._table(self.collector)
        for user in (self.salesman, portal):
            with self.assertRaises(AccessError, msg=user.login):
                table.with_user(user).action_compute()
            with self.assertRaises(AccessError, msg=user.login):
                table.with_user(user)._xlsx_content()
        self.assertFalse(table.figures)
        # a credit manager may compute too
        self._table(self.credit_manager).action_compute()

    @freeze_time(TODAY)
    def test_query_count_does_not_grow(self):
        table = self._table(self.collector)
        table.action_compute()

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            table.action_compute()
            return self.env.cr.sql_log_count - before

        first = queries()
        self.assertLessEqual(first, 10)
        for day in ("2025-10-01", "2025-11-01"):
            self.inv_b.copy({"invoice_date": day, "date": day}).action_post()
        self.assertLessEqual(queries(), first)
        issued = table.figures["issued"]["count"]
        self.assertEqual(sum(issued[k] for k in BUCKETS[:5]), 8)


@tagged("post_install", "-at_install")
class TestPaymentDelayTableTour(PaymentDelayTableCommon, HttpCase):
    def test_manager_computes_the_table(self):
        # 1,234 due 31 May 2026: 30 days late at the closing of 30 June 2026
        self._invoice(self.customer, 1234, "2026-05-01", due="2026-05-31")
        self.start_tour(
            "/odoo", "credit_payment_delay_table", login=self.credit_manager.login
        )
        table = self.env["credit.payment.delay.table"].search(
            [("create_uid", "=", self.credit_manager.id)]
        )
        self.assertEqual(table.date_closing, date(2026, 6, 30))
        self.assertEqual(table.figures["issued"]["amount"]["1_30"], 1234.0)
        # the XLSX of the form's button, as the browser downloads it
        self.authenticate(self.credit_manager.login, self.credit_manager.login)
        response = self.url_open(f"/credit_dunning/payment_delay_table/{table.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["D.441-6"]
        self.assertEqual(sheet["C17"].value, 1)
        self.assertEqual(sheet["C18"].value, 1234)
        # someone else's table: not found
        self.authenticate(self.collector.login, self.collector.login)
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/credit_dunning/payment_delay_table/{table.id}/xlsx"
            )
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestPaymentDelayTableCreditNote(PaymentDelayTableCommon):
    def test_credit_note_reconciled_settles_the_invoice(self):
        """A credit note matched with an invoice before the closing settles
        it for what it matched; neither is counted as an invoice."""
        invoice = self._invoice(self.customer, 500, "2025-11-01", due="2025-12-01")
        refund = self._invoice(self.customer, 200, "2025-12-10", move_type="out_refund")
        lines = (invoice | refund).line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        lines.reconcile()
        with freeze_time(TODAY):
            table = self._table(self.collector)
            table.action_compute()
        issued = table.figures["issued"]
        # 500 - 200 matched on 10 Dec 2025, 30 days late
        self.assertEqual(issued["count"]["1_30"], 1)
        self.assertEqual(issued["amount"]["1_30"], 300.0)
        self.assertEqual(issued["base"], 300.0)

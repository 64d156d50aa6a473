import base64
import csv
import io
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditDunningCommon


class AgencyCommon(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvra SAS",
                "is_company": True,
                "credit_agency": True,
                "credit_agency_fee_rate": 15.0,
            }
        )
        cls.customer.write(
            {
                "phone": "+33 4 72 00 00 00",
                "street": "3 quai Perrache",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        cls.contact.write({"email": "jean@dupont.example.com", "phone": "0601020304"})
        cls.portal_user = new_test_user(
            cls.env,
            login="cd_portal_agency",
            name="Paula Portal",
            groups="base.group_portal",
        )

    def _place(self, moves=None, partner=None, reference="AG-001", day="2026-02-20"):
        """Place as the credit manager, through the wizard the button opens."""
        partner = partner or self.customer
        with freeze_time(day):
            if moves is None:
                action = partner.with_user(
                    self.credit_manager
                ).action_credit_agency_place()
            else:
                action = moves.with_user(
                    self.credit_manager
                ).action_credit_agency_place()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.credit_manager)
                .with_context(**action["context"])
                .create({"agency_id": self.agency.id, "reference": reference})
            )
            action = wizard.action_place()
        return self.env["credit.agency.placement"].browse(action["res_id"])

    def _import(self, content, filename, user=None):
        wizard = (
            self.env["credit.agency.status.import"]
            .with_user(user or self.credit_manager)
            .create({"file": base64.b64encode(content), "filename": filename})
        )
        return wizard.action_import()

    def _export(self, placements, file_format, user=None):
        wizard = (
            self.env["credit.agency.export.wizard"]
            .with_user(user or self.collector)
            .create({"placement_ids": placements.ids, "file_format": file_format})
        )
        wizard.action_export()
        return base64.b64decode(wizard.file), wizard.filename


@tagged("post_install", "-at_install")
class TestAgencyPlacement(AgencyCommon):
    def test_placed_customer_leaves_the_ladder(self):
        other = self._make_customer("Martin Négoce", "martin@example.com")
        placed_invoice = self._invoice(
            self.customer, 1000, "2026-01-01", due="2026-01-31"
        )
        self._invoice(other, 700, "2026-01-01", due="2026-01-31")

        placement = self._place()
        self.assertEqual(placement.move_ids, placed_invoice)
        self.assertEqual(placement.amount_placed, 1000)
        self.assertEqual(placement.state, "in_progress")
        self.assertTrue(placement.whole_account)
        self.assertIn(placement, self.customer.credit_agency_placement_ids)
        self.assertEqual(self.customer.credit_agency_placement_count, 1)
        note = self.customer.message_ids[0]
        self.assertIn("Recouvra SAS", note.body)
        self.assertIn("AG-001", note.body)
        self.assertIn(placed_invoice.name, note.body)
        self.assertEqual(note.author_id, self.credit_manager.partner_id)

        with freeze_time("2026-02-20"):
            run = self.env["credit.dunning.run"]._run(self.company)
        self.assertEqual(run.communication_ids.partner_id, other, "only the other one")
        self.assertFalse(placed_invoice.dunning_level_id)

        # a new invoice of a customer placed as a whole is not dunned either
        self._invoice(self.customer, 300, "2026-01-15", due="2026-02-14")
        with freeze_time("2026-02-25"):
            run = self.env["credit.dunning.run"]._run(self.company)
        self.assertNotIn(self.customer, run.communication_ids.partner_id)

        # the agency closes the file: new invoices are the ladder's again, the
        # placed one stays out of it
        self._import(b"Reference;Status\nAG-001;Closed - uncollectible\n", "back.csv")
        self.assertEqual(placement.state, "uncollectible")
        with freeze_time("2026-03-01"):
            run = self.env["credit.dunning.run"]._run(self.company)
        moved = run.communication_ids.line_ids.filtered("level_id").move_id
        self.assertTrue(moved.filtered(lambda m: m.partner_id == self.customer))
        self.assertNotIn(placed_invoice, moved)

    def test_placed_invoices_leave_the_ladder_the_others_stay(self):
        first = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        second = self._invoice(self.customer, 400, "2026-01-01", due="2026-01-31")
        placement = self._place(moves=first)
        self.assertFalse(placement.whole_account)
        self.assertEqual(placement.move_ids, first)
        with freeze_time("2026-02-20"):
            run = self.env["credit.dunning.run"]._run(self.company)
        moved = run.communication_ids.line_ids.filtered("level_id").move_id
        self.assertEqual(moved, second, "only the invoice not placed moves up")
        # nor is it listed in the customer's reminder: the agency collects it
        self.assertEqual(run.communication_ids.line_ids.move_id, second)
        self.assertTrue(second.dunning_level_id)
        self.assertFalse(first.dunning_level_id)

    def test_placement_refuses_what_cannot_be_placed(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        self._place(moves=invoice)
        with self.assertRaisesRegex(UserError, "Already placed"):
            self._place(moves=invoice, reference="AG-002")
        other = self._make_customer("Martin Négoce")
        other_invoice = self._invoice(other, 100, "2026-01-01")
        with self.assertRaisesRegex(UserError, "invoices of one customer"):
            (invoice | other_invoice).with_user(
                self.credit_manager
            ).action_credit_agency_place()
        not_agency = self._make_customer("Not An Agency")
        with self.assertRaisesRegex(UserError, "not a collection agency"):
            self.env["credit.agency.place.wizard"].with_user(
                self.credit_manager
            ).create(
                {
                    "partner_id": other.id,
                    "agency_id": not_agency.id,
                    "reference": "X",
                    "move_ids": other_invoice.ids,
                }
            ).action_place()
        self.assertFalse(other.credit_agency_placement_ids)


@tagged("post_install", "-at_install")
class TestAgencyExchange(AgencyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_a = cls._invoice(cls.customer, 1000, "2026-01-01", due="2026-01-31")
        cls.inv_b = cls._invoice(cls.customer, 500, "2026-01-10", due="2026-02-09")

    def _placed_after_a_reminder(self):
        with freeze_time("2026-02-15"):  # first reminder of invoice A
            run = self.env["credit.dunning.run"]._run(self.company)
        self.assertTrue(run.communication_ids)
        return self._place(day="2026-02-20")

    def test_xlsx_export_then_status_import(self):
        import openpyxl  # noqa: PLC0415

        placement = self._placed_after_a_reminder()
        level = self.inv_a.dunning_level_id
        content, filename = self._export(placement, "xlsx")
        self.assertTrue(filename.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(len(rows), 3, "one row per invoice")
        by_invoice = {
            row[header.index("Invoice")]: dict(zip(header, row, strict=True))
            for row in rows[1:]
        }
        row_a = by_invoice[self.inv_a.name]
        self.assertEqual(row_a["Reference"], "AG-001")
        self.assertEqual(row_a["Debtor"], "Dupont Industrie")
        self.assertEqual(row_a["Email"], "dupont@example.com")
        self.assertEqual(row_a["Phone"], "+33 4 72 00 00 00")
        self.assertEqual(row_a["City"], "Lyon")
        self.assertIn(
            "Jean Dupont <jean@dupont.example.com> 0601020304", row_a["Contacts"]
        )
        self.assertEqual(row_a["Residual"], 1000)
        self.assertEqual(row_a["Due Date"].date(), date(2026, 1, 31))
        self.assertIn(level.name, row_a["Reminders"])
        self.assertIn("2026-02-15", row_a["Reminders"])
        self.assertEqual(by_invoice[self.inv_b.name]["Residual"], 500)
        history = list(book.worksheets[1].iter_rows(values_only=True))
        self.assertEqual(history[1][:2], ("AG-001", self.inv_a.name))
        self.assertEqual(history[1][3], level.name)

        # the agency fills in its columns and sends the file back
        status_col = header.index("Status") + 1
        for index in (2, 3):
            sheet.cell(index, status_col, "Partiellement recouvré")
            sheet.cell(index, status_col + 1, 300 if index == 2 else 150.5)
            sheet.cell(index, status_col + 2, "05/03/2026")
        out = io.BytesIO()
        book.save(out)
        self._import(out.getvalue(), "retour_agence.xlsx")
        self.assertEqual(placement.state, "partial")
        self.assertAlmostEqual(placement.agency_recovered, 450.5)
        self.assertEqual(placement.status_date, date(2026, 3, 5))
        self.assertAlmostEqual(placement.amount_to_book, 450.5)
        self.assertIn("450.50", self.customer.message_ids[0].body)

    def test_french_csv_export_then_status_import(self):
        placement = self._placed_after_a_reminder()
        content, filename = self._export(placement, "csv_fr")
        self.assertTrue(filename.endswith(".csv"))
        text = content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        header = rows[0]
        self.assertIn("1000,00", rows[1] + rows[2])
        self.assertIn("31/01/2026", rows[1] + rows[2])
        # back from a French Excel: Windows encoding, ";", comma decimals,
        # thousands with a space, dd/mm/yyyy
        for row in rows[1:]:
            amount = (
                "1 000,00"
                if row[header.index("Invoice")] == self.inv_a.name
                else "500,00"
            )
            row[header.index("Status")] = "Recouvré"
            row[header.index("Amount Recovered")] = amount
            row[header.index("Status Date")] = "15/03/2026"
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(rows)
        self._import(out.getvalue().encode("cp1252"), "retour.csv")
        self.assertEqual(placement.state, "recovered")
        self.assertEqual(placement.agency_recovered, 1500)
        self.assertEqual(placement.status_date, date(2026, 3, 15))

    def test_bad_rows_are_named_and_nothing_is_written(self):
        placement = self._place()
        content = (
            "Référence;Statut;Montant recouvré;Date du statut\n"
            "AG-001;En cours;100,00;01/03/2026\n"
            "AG-999;En cours;100,00;01/03/2026\n"
            "AG-001;Perdu;;\n"
            "AG-001;;12,5,0;\n"
            "AG-001;;;31/02/2026\n"
        ).encode("cp1252")
        with self.assertRaises(UserError) as caught:
            self._import(content, "retour.csv")
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        self.assertIn("Row 3: unknown file reference “AG-999”", message)
        self.assertIn("Row 4: unknown status “Perdu”", message)
        self.assertIn("Row 5: bad amount “12,5,0”", message)
        self.assertIn("Row 6: bad date “31/02/2026”", message)
        self.assertNotIn("Row 2", message)
        self.assertEqual(placement.agency_recovered, 0)
        self.assertEqual(placement.state, "in_progress")
        self.assertFalse(placement.status_date)
        # more than placed is a mistake too
        with self.assertRaisesRegex(UserError, "more than the"):
            self._import(b"Reference;Amount Recovered\nAG-001;2000\n", "retour.csv")

    def test_status_by_hand(self):
        placement = self._place()
        placement.with_user(self.credit_manager).write(
            {
                "state": "uncollectible",
                "agency_recovered": 0,
                "status_date": "2026-04-01",
            }
        )
        self.assertEqual(placement.state, "uncollectible")
        with self.assertRaises(AccessError):
            placement.with_user(self.collector).write({"state": "recovered"})


@tagged("post_install", "-at_install")
class TestAgencyBooking(AgencyCommon):
    def _book(self, placement, amount, day="2026-03-20"):
        with freeze_time(day):
            wizard = (
                self.env["credit.agency.recovery.wizard"]
                .with_user(self.credit_manager)
                .create({"placement_id": placement.id, "amount": amount})
            )
            self.assertEqual(wizard.fee_amount, round(amount * 0.15, 2))
            wizard.action_book()
        return wizard

    def test_partial_then_full_recovery(self):
        invoice = self._invoice(self.customer, 1500, "2026-01-01", due="2026-01-31")
        placement = self._place()
        self._book(placement, 900)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 600)
        payment = placement.payment_ids
        self.assertEqual(payment.partner_id, self.customer)
        self.assertEqual(payment.payment_type, "inbound")
        self.assertEqual(payment.amount, 900)
        self.assertEqual(payment.state, "in_process")
        bill = placement.fee_move_ids
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.agency)
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.amount_total, 135)
        self.assertEqual(placement.amount_recovered, 900)
        self.assertEqual(placement.amount_fee, 135)
        self.assertEqual(placement.amount_open, 600)

        self._book(placement, 600, day="2026-04-02")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0)
        self.assertEqual(placement.amount_fee, 225)
        self.assertEqual(len(placement.fee_move_ids), 2)
        with self.assertRaisesRegex(UserError, "Nothing is owed"):
            placement.with_user(self.credit_manager).action_book_recovery()

    def test_recovery_cannot_exceed_what_is_owed(self):
        self._invoice(self.customer, 500, "2026-01-01", due="2026-01-31")
        placement = self._place()
        with self.assertRaisesRegex(UserError, "more than"):
            self._book(placement, 800)
        self.assertFalse(placement.payment_ids)

    def test_write_off_the_rest(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        placement = self._place()
        self._book(placement, 400)
        bad_debt = self.company_data["default_account_expense"]
        with freeze_time("2026-05-01"):
            wizard = (
                self.env["credit.agency.writeoff.wizard"]
                .with_user(self.credit_manager)
                .create(
                    {
                        "placement_id": placement.id,
                        "account_id": bad_debt.id,
                        "reason": "Debtor in liquidation",
                    }
                )
            )
            self.assertEqual(wizard.amount, 600)
            wizard.action_write_off()
        self.assertEqual(invoice.amount_residual, 0)
        self.assertEqual(invoice.payment_state, "paid")
        entry = placement.writeoff_move_ids
        self.assertEqual(entry.state, "posted")
        debit = entry.line_ids.filtered(lambda line: line.account_id == bad_debt)
        self.assertEqual(debit.debit, 600)
        self.assertEqual(placement.amount_written_off, 600)
        self.assertEqual(placement.amount_open, 0)
        self.assertIn("Debtor in liquidation", self.customer.message_ids[0].body)

    def test_report_per_agency(self):
        other_agency = self.env["res.partner"].create(
            {"name": "Credit Back", "credit_agency": True, "credit_agency_fee_rate": 10}
        )
        self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        placement = self._place()
        self._book(placement, 1000)
        other = self._make_customer("Martin Négoce")
        self._invoice(other, 300, "2026-01-01", due="2026-01-31")
        with freeze_time("2026-02-20"):
            self.env["credit.agency.place.wizard"].with_user(
                self.credit_manager
            ).create(
                {
                    "partner_id": other.id,
                    "agency_id": other_agency.id,
                    "reference": "CB-1",
                    "move_ids": other.invoice_ids.ids,
                }
            ).action_place()
        groups = (
            self.env["credit.agency.placement"]
            .with_user(self.collector)
            ._read_group(
                [],
                ["agency_id"],
                ["amount_placed:sum", "amount_recovered:sum", "amount_fee:sum"],
            )
        )
        self.assertEqual(
            {agency.name: figures for agency, *figures in groups},
            {"Recouvra SAS": [1000, 1000, 150], "Credit Back": [300, 0, 0]},
        )


@tagged("post_install", "-at_install")
class TestAgencyAccess(AgencyCommon):
    def test_only_credit_managers_place_import_book_and_write_off(self):
        invoice = self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        placement = self._place()
        bad_debt = self.company_data["default_account_expense"]
        wizard_values = {
            "credit.agency.place.wizard": {
                "partner_id": self.customer.id,
                "agency_id": self.agency.id,
                "reference": "X",
            },
            "credit.agency.status.import": {
                "file": base64.b64encode(b"Reference;Status\nAG-001;Recovered\n"),
                "filename": "x.csv",
            },
            "credit.agency.recovery.wizard": {"placement_id": placement.id},
            "credit.agency.writeoff.wizard": {
                "placement_id": placement.id,
                "account_id": bad_debt.id,
                "reason": "x",
            },
        }
        # made by a manager, then clicked by someone else
        wizards = {
            model: self.env[model].with_user(self.credit_manager).create(values)
            for model, values in wizard_values.items()
        }
        methods = {
            "credit.agency.place.wizard": "action_place",
            "credit.agency.status.import": "action_import",
            "credit.agency.recovery.wizard": "action_book",
            "credit.agency.writeoff.wizard": "action_write_off",
        }
        for user in (self.collector, self.salesman, self.portal_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).action_credit_agency_place()
                with self.assertRaises(AccessError):
                    invoice.with_user(user).action_credit_agency_place()
                with self.assertRaises(AccessError):
                    placement.with_user(user).action_book_recovery()
                with self.assertRaises(AccessError):
                    placement.with_user(user).action_write_off()
                with self.assertRaises(AccessError):
                    placement.with_user(user).write({"state": "recovered"})
                for model, values in wizard_values.items():
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).create(values)
                    with self.assertRaises(AccessError):
                        getattr(wizards[model].with_user(user), methods[model])()
        self.assertEqual(placement.state, "in_progress")
        self.assertFalse(placement.payment_ids)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_collector_reads_and_exports_others_do_not(self):
        self._invoice(self.customer, 1000, "2026-01-01", due="2026-01-31")
        placement = self._place()
        self.assertEqual(placement.with_user(self.collector).reference, "AG-001")
        self.customer.with_user(self.collector).action_credit_agency_placements()
        placement.with_user(self.collector).action_export()
        content, __ = self._export(placement, "csv", user=self.collector)
        self.assertIn(b"AG-001", content)
        for user in (self.salesman, self.portal_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    placement.with_user(user).read(["reference"])
                with self.assertRaises(AccessError):
                    placement.with_user(user).action_export()
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).action_credit_agency_placements()
                with self.assertRaises(AccessError):
                    self._export(placement, "csv", user=user)

    def test_only_managers_flag_agencies(self):
        partner = self._make_customer("Maybe Agency")
        with self.assertRaises(AccessError):
            partner.with_user(self.collector).write({"credit_agency": True})
        partner.with_user(self.credit_manager).write(
            {"credit_agency": True, "credit_agency_fee_rate": 12}
        )
        self.assertTrue(partner.credit_agency)

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_payment_behaviour import TODAY, BehaviourCommon


@tagged("post_install", "-at_install")
class TestSegments(BehaviourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # three invoices each: the days late decide
        cls.punctual = cls._make_customer("Punctual SA")
        cls.late = cls._make_customer("Late SARL")
        cls.variable = cls._make_customer("Variable SAS")
        cls.new = cls._make_customer("New EURL")
        for month, (amount_v, late_v) in zip(
            ("2026-01", "2026-02", "2026-03"),
            ((5000.0, 0), (5000.0, 0), (100.0, 40)),
            strict=True,
        ):
            due = f"{month}-28"
            invoice_date = f"{month}-01"
            cls._paid_invoice(cls.punctual, 1000.0, invoice_date, due, [(1000.0, due)])
            cls._paid_invoice(
                cls.late, 1000.0, invoice_date, due, [(1000.0, cls._plus(due, 15))]
            )
            cls._paid_invoice(
                cls.variable,
                amount_v,
                invoice_date,
                due,
                [(amount_v, cls._plus(due, late_v))],
            )
        cls._paid_invoice(
            cls.new, 1000.0, "2026-01-01", "2026-01-31", [(1000.0, "2026-03-31")]
        )

    @staticmethod
    def _plus(day, days):
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat()

    def _segment(self, partner):
        return partner.with_user(self.collector).credit_segment_id

    def test_segments_from_the_figures(self):
        self._compute()
        self.assertEqual(self._segment(self.punctual), self.segments["punctual"])
        # 15 days late on average: more than 10
        self.assertEqual(self._segment(self.late), self.segments["late"])
        # 0.4 day late weighted by amount, but spread 18.9 days: more than 15
        self.assertEqual(self._segment(self.variable), self.segments["variable"])
        # one invoice paid, 63 days late: too few to judge
        self.assertEqual(self._segment(self.new), self.segments["new"])
        # the chatter says why, with the figures
        note = self.late.message_ids[:1].body
        self.assertIn("Payment segment: - → Late", note)
        self.assertIn("3 invoice(s) paid in 12 months, 0 % on time", note)
        self.assertIn("15.0 days late on average", note)
        self.assertIn("late beyond 10 days", note)
        note = self.variable.message_ids[:1].body
        self.assertIn("spread 18.9 days", note)
        self.assertIn("spread beyond 15 days", note)
        # a new customer enters New quietly
        self.assertNotIn("Payment segment", self.new.message_ids[:1].body or "")
        # filters and group-by of the customer lists
        Partner = self.env["res.partner"].with_user(self.collector)
        self.assertEqual(
            Partner.search([("credit_segment_id.code", "=", "late")]), self.late
        )
        groups = dict(
            Partner._read_group(
                [("id", "in", (self.punctual | self.late | self.variable).ids)],
                ["credit_segment_id"],
                ["__count"],
            )
        )
        self.assertEqual(groups[self.segments["variable"]], 1)

    def test_on_time_then_weeks_late_is_variable(self):
        """Issue 30: a customer who pays 0, 35, 2, 40, 0, 30, 1 and 45 days
        late is Variable, though 19 days late on average: the spread is
        checked before the average."""
        customer = self._make_customer("Irregular SARL")
        months = ("2025-09", "2025-10", "2025-11", "2025-12")
        months += ("2026-01", "2026-02", "2026-03", "2026-04")
        for month, late in zip(months, (0, 35, 2, 40, 0, 30, 1, 45), strict=True):
            due = f"{month}-10"
            self._paid_invoice(
                customer, 1000.0, f"{month}-01", due, [(1000.0, self._plus(due, late))]
            )
        self._compute()
        row = self._behaviour(customer)
        self.assertEqual(row.invoices_paid, 8)
        self.assertAlmostEqual(row.avg_days_late, 19.125, delta=0.01)
        self.assertAlmostEqual(row.days_late_stddev, 18.8, places=2)
        self.assertEqual(self._segment(customer), self.segments["variable"])
        note = customer.message_ids[:1].body
        self.assertIn("Payment segment: - → Variable", note)
        self.assertIn("19.1 days late on average", note)
        self.assertIn("spread 18.8 days", note)
        self.assertIn("spread beyond 15 days and beyond half the average", note)
        # steadily late, however late, stays Late: 15 days each time
        self.assertEqual(self._segment(self.late), self.segments["late"])

    def test_moves_between_segments(self):
        self._compute()
        self.assertEqual(self._segment(self.late), self.segments["late"])
        # three invoices paid on time in April: 6 invoices, 7.5 days late
        for day in ("2026-04-01", "2026-04-02", "2026-04-03"):
            self._paid_invoice(self.late, 1000.0, day, "2026-04-30", [(1000.0, day)])
        self._compute()
        self.assertEqual(self._segment(self.late), self.segments["punctual"])
        note = self.late.message_ids[:1].body
        self.assertIn("Payment segment: Late → Punctual", note)
        self.assertIn("6 invoice(s) paid in 12 months, 50 % on time", note)
        self.assertIn("7.5 days late on average", note)
        row = self._behaviour(self.late)
        self.assertEqual(str(row.segment_date), TODAY)
        # the same figures the next night: no move, no note
        count = len(self.late.message_ids)
        self._compute("2026-06-16")
        self.assertEqual(len(self.late.message_ids), count)
        self.assertEqual(str(self._behaviour(self.late).segment_date), TODAY)
        # stricter thresholds in the settings move it back
        self.company.credit_segment_late_days = 5.0
        self._compute("2026-06-16")
        self.assertEqual(self._segment(self.late), self.segments["late"])

    def test_hold_level_puts_at_risk(self):
        hold = self.env.ref("credit_dunning.credit_dunning_policy_default").level_ids
        hold = hold.filtered("set_credit_hold")[:1]
        invoice = self._invoice(self.punctual, 100.0, "2026-04-01", due="2026-04-30")
        self.env["credit.dunning.communication"].sudo().create(
            {
                "partner_id": self.punctual.id,
                "company_id": self.company.id,
                "level_id": hold.id,
                "date": "2026-05-15",
                "state": "done",
                "line_ids": [
                    Command.create({"move_id": invoice.id, "level_id": hold.id})
                ],
            }
        )
        self._compute()
        self.assertEqual(self._segment(self.punctual), self.segments["at_risk"])
        self.assertIn(
            "a reminder at the credit-hold level in 12 months",
            self.punctual.message_ids[:1].body,
        )

    def test_default_credit_limit_of_the_segment(self):
        self.segments["late"].default_credit_limit = 5000.0
        # a limit set by hand is never changed
        hand = self._make_customer("Hand Set SA")
        hand.with_user(self.credit_manager).credit_limit = 1000.0
        for month in ("2026-01", "2026-02", "2026-03"):
            self._paid_invoice(
                hand, 100.0, f"{month}-01", f"{month}-10", [(100.0, f"{month}-28")]
            )
        self._compute()
        self.assertEqual(self._segment(hand), self.segments["late"])
        self.assertEqual(hand.credit_limit, 1000.0)
        self.assertEqual(self.late.credit_limit, 5000.0)
        self.assertIn(
            "Credit limit of the segment Late", self.late.message_ids[:1].body
        )
        # punctual now: the limit the segment gave is withdrawn
        for day in ("2026-04-01", "2026-04-02", "2026-04-03"):
            self._paid_invoice(self.late, 1000.0, day, "2026-04-30", [(1000.0, day)])
        self._compute()
        self.assertEqual(self.late.credit_limit, 0.0)
        self.assertFalse(self.late.use_partner_credit_limit)
        # a limit changed by hand meanwhile stays
        self.company.credit_segment_late_days = 5.0
        self._compute()
        self.assertEqual(self.late.credit_limit, 5000.0)
        self.late.with_user(self.credit_manager).credit_limit = 7000.0
        self.company.credit_segment_late_days = 10.0
        self._compute()
        self.assertEqual(self._segment(self.late), self.segments["punctual"])
        self.assertEqual(self.late.credit_limit, 7000.0)

    def test_queries_do_not_grow_with_the_customers(self):
        """A batch of customers costs the same queries for one customer as
        for three, their contacts, segment moves, notes and limits included
        (the nightly computation of 100,000 invoices depends on it)."""
        self.segments["late"].default_credit_limit = 5000.0
        late_too, late_three = (
            self._make_customer(name) for name in ("Late Too SAS", "Late Three SA")
        )
        for partner in (late_too, late_three):
            for month in ("2026-01", "2026-02", "2026-03"):
                due = f"{month}-28"
                self._paid_invoice(
                    partner, 1000.0, f"{month}-01", due, [(1000.0, self._plus(due, 20))]
                )
        for partner in (self.punctual, self.variable, late_too, late_three):
            self.env["res.partner"].create(
                [
                    {"name": f"{partner.name} {role}", "parent_id": partner.id}
                    for role in ("Accounts", "Buyer")
                ]
            )

        def queries(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            count = self.env.cr.sql_log_count
            self._compute(partners=partners)
            self.env.flush_all()
            return self.env.cr.sql_log_count - count

        # the caches of the company, its segments, its notes and limits
        queries(self.late)
        one = queries(late_too)
        three = queries(late_three | self.punctual | self.variable)
        self.assertEqual(three, one)
        # and the work was done for each
        for partner, code in (
            (late_too, "late"),
            (late_three, "late"),
            (self.punctual, "punctual"),
            (self.variable, "variable"),
        ):
            self.assertEqual(self._segment(partner), self.segments[code])
            self.assertIn("Payment segment: - →", partner.message_ids[:1].body)
        self.assertEqual(late_too.credit_limit, 5000.0)
        self.assertEqual(late_three.credit_limit, 5000.0)
        self.assertEqual(self.punctual.credit_limit, 0.0)
        # the contacts show their company's segment
        contact = late_too.child_ids[:1]
        self.assertEqual(
            contact.with_user(self.collector).commercial_partner_id.credit_segment_id,
            self.segments["late"],
        )

    def test_deposit_percent(self):
        self.segments["late"].deposit_percent = 30.0
        self._compute()
        self.assertEqual(self.late._credit_segment_deposit_percent(self.company), 30.0)
        self.assertEqual(
            self.punctual._credit_segment_deposit_percent(self.company), 0.0
        )

    def test_segments_of_a_new_company(self):
        company = self.env["res.company"].create({"name": "Filiale"})
        codes = (
            self.env["credit.segment"]
            .sudo()
            .search([("company_id", "=", company.id)])
            .mapped("code")
        )
        self.assertEqual(
            sorted(codes), ["at_risk", "late", "new", "punctual", "variable"]
        )

    def test_rights_on_segments(self):
        segment = self.segments["late"]
        policy = self.env.ref("credit_dunning.credit_dunning_policy_default")
        # collectors read, managers configure
        self.assertEqual(segment.with_user(self.collector).name, "Late")
        with self.assertRaises(AccessError):
            segment.with_user(self.collector).write({"policy_id": policy.id})
        segment.with_user(self.credit_manager).write(
            {"policy_id": policy.id, "deposit_percent": 20.0}
        )
        portal = new_test_user(
            self.env, login="cd_portal_segment", groups="base.group_portal"
        )
        for user in (self.salesman, portal):
            with self.assertRaises(AccessError):
                segment.with_user(user).read(["name"])


@tagged("post_install", "-at_install")
class TestPolicyBySegment(BehaviourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm = cls.env["credit.dunning.policy"].create(
            {"name": "Firm", "company_id": cls.company.id}
        )
        cls.firm_level = cls.env["credit.dunning.level"].create(
            {
                "policy_id": cls.firm.id,
                "name": "Firm first reminder",
                "offset_days": 1,
                "send_email": True,
                "mail_template_id": cls.env.ref(
                    "credit_dunning.mail_template_dunning_reminder"
                ).id,
            }
        )
        cls.segments["late"].policy_id = cls.firm
        cls.late = cls._make_customer("Late SARL", "late@example.com")
        cls.own = cls._make_customer("Own Policy SA", "own@example.com")
        for partner in (cls.late, cls.own):
            for month in ("2026-01", "2026-02", "2026-03"):
                cls._paid_invoice(
                    partner,
                    100.0,
                    f"{month}-01",
                    f"{month}-10",
                    [(100.0, f"{month}-28")],
                )
        cls.default = cls.env.ref("credit_dunning.credit_dunning_policy_default")
        cls.own.credit_dunning_policy_id = cls.default

    def test_the_segment_picks_the_ladder(self):
        self._compute("2026-06-01")
        self.assertEqual(
            self.late.with_user(self.collector).credit_segment_id.code, "late"
        )
        self.assertEqual(
            self.own.with_user(self.collector).credit_segment_id.code, "late"
        )
        # preview and promises: the same policy as the run
        self.assertEqual(self.late._credit_dunning_policy(self.company), self.firm)
        self.assertEqual(self.own._credit_dunning_policy(self.company), self.default)
        # without a segment: the company's default
        newcomer = self._make_customer("No Segment SA")
        self.assertEqual(newcomer._credit_dunning_policy(self.company), self.default)
        for partner in (self.late, self.own):
            self._invoice(partner, 500.0, "2026-05-01", due="2026-06-01")
        with freeze_time("2026-06-03"):
            run = self.env["credit.dunning.run"]._run(self.company)
        comms = {comm.partner_id: comm for comm in run.communication_ids}
        # 2 days late: the firm ladder of the segment reminds from day 1; the
        # customer's own policy (the default) wins over its segment's
        self.assertEqual(comms[self.late].level_id, self.firm_level)
        self.assertEqual(comms[self.own].level_id.policy_id, self.default)
        # an archived policy of the segment falls back to the default
        self.firm.active = False
        self.assertEqual(self.late._credit_dunning_policy(self.company), self.default)


@tagged("post_install", "-at_install")
class TestSegmentsLanguage(BehaviourCommon):
    """The segments are shipped records with French translations: every
    company's read French once French is installed, a company created later
    gets them at once, a segment a manager renamed keeps its name."""

    def test_segments_read_french(self):
        renamed = self.segments["variable"]
        renamed.with_context(lang="en_US").name = "Erratic payers"
        self._french_customer()  # installs French and the addon's terms
        french = self.env["credit.segment"].with_context(lang="fr_FR")
        shipped = french.browse(self.env.ref("credit_dunning.credit_segment_late").id)
        self.assertEqual(shipped.name, "En retard")
        self.assertIn("relancer tôt", shipped.description)
        # the test company's, made before French was installed
        self.assertEqual(french.browse(self.segments["at_risk"].id).name, "À risque")
        self.assertEqual(french.browse(renamed.id).name, "Erratic payers")
        # a company created now
        company = self.env["res.company"].create({"name": "Filiale Lyon"})
        segments = french.search([("company_id", "=", company.id)])
        self.assertEqual(
            segments.mapped("name"),
            ["Nouveau", "Ponctuel", "En retard", "Irrégulier", "À risque"],
        )
        self.assertEqual(
            segments.with_context(lang="en_US").mapped("name"),
            ["New", "Punctual", "Late", "Variable", "At Risk"],
        )

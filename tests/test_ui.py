from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CreditDunningCommon


def _arch(records, view_type="form", view_id=None):
    """The arch a user of ``records``' environment receives."""
    return etree.fromstring(records.get_view(view_id, view_type)["arch"])


def _shown(node, values):
    """Whether ``node`` is shown for the record ``values``, from its own
    invisible expression and its ancestors'."""
    while node is not None:
        expr = node.get("invisible") or node.get("column_invisible")
        if expr and safe_eval(expr, dict(values)):
            return False
        node = node.getparent()
    return True


class UiCommon(CreditDunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("credit_dunning.credit_dunning_policy_default")
        cls.levels = {level.offset_days: level for level in cls.policy.level_ids}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestFlagDialogs(UiCommon):
    """The hold / cash-only dialogs: one per action, saying what it does."""

    STEPS = (
        # button of the tab, dialog title, dialog button, flag, value after
        ("action_credit_hold_set", "Put on hold", "Put on Hold", "credit_hold", True),
        ("action_credit_hold_lift", "Lift hold", "Lift Hold", "credit_hold", False),
        ("action_cash_only_set", "Set cash-only", "Set Cash-Only", "cash_only", True),
        (
            "action_cash_only_lift",
            "Lift cash-only",
            "Lift Cash-Only",
            "cash_only",
            False,
        ),
    )

    def _dialog(self, method, user=None):
        action = getattr(self.customer.with_user(user or self.credit_manager), method)()
        wizard = (
            self.env["credit.flag.wizard"]
            .with_user(user or self.credit_manager)
            .with_context(**action["context"])
        )
        return action, Form(wizard)

    def test_one_dialog_per_action(self):
        arch = _arch(self.env["credit.flag.wizard"])
        self.assertFalse(arch.xpath("//field[@string]"), "no relabelled checkbox")
        for method, title, button, flag, value in self.STEPS:
            with self.subTest(title=title):
                action, form = self._dialog(method)
                self.assertEqual(action["name"], title)
                self.assertEqual(form.partner_id, self.customer)
                self.assertIn(self.customer.name, form.description)
                # the customer, the flag and its value are fixed by the button
                for fname in ("partner_id", "flag", "value"):
                    with self.assertRaises(AssertionError):
                        setattr(form, fname, False)
                values = {"flag": flag, "value": value}
                buttons = [
                    node.get("string")
                    for node in arch.xpath("//footer/button[@name='action_apply']")
                    if _shown(node, values)
                ]
                self.assertEqual(buttons, [button])
                form.reason = f"{title}: decided by the credit committee"
                form.save().action_apply()
                self.assertEqual(self.customer[flag], value)
                self.assertIn(
                    f"{title}: decided by the credit committee",
                    self.customer.message_ids[0].body,
                )
                self.assertEqual(
                    self.customer.message_ids[0].author_id,
                    self.credit_manager.partner_id,
                )

    def test_lift_dialog_never_sets(self):
        _action, form = self._dialog("action_credit_hold_lift")
        form.reason = "lift"
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "already off credit hold"):
            wizard.action_apply()
        self.assertFalse(self.customer.credit_hold)
        # and a put-on-hold dialog left open does not put it on hold twice
        _action, form = self._dialog("action_credit_hold_set")
        form.reason = "first"
        stale = form.save()
        self._set_flags(self.customer, credit_hold=True)
        with self.assertRaisesRegex(UserError, "already on credit hold"):
            stale.action_apply()
        self.assertEqual(self.customer.credit_hold_reason, "test")

    def test_dialog_says_why_it_was_set(self):
        self._set_flags(self.customer, credit_hold=True, cash_only=True)
        _action, form = self._dialog("action_credit_hold_lift")
        self.assertIn("On hold since 03/15/2026: test", form.description)
        _action, form = self._dialog("action_cash_only_lift")
        self.assertIn("Cash-only because: test", form.description)

    def test_collector_cannot_use_the_dialog(self):
        arch = _arch(self.env["res.partner"].with_user(self.collector))
        self.assertFalse(arch.xpath("//button[@name='action_credit_hold_set']"))
        with self.assertRaises(AccessError):
            _action, form = self._dialog("action_credit_hold_set", user=self.collector)
            form.reason = "x"
            form.save().action_apply()
        self.assertFalse(self.customer.credit_hold)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestCreditControlTab(UiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 500 confirmed not invoiced, 1,000 overdue since 02/13: 1,500 exposure
        cls._order(cls.customer, 500, confirm=True)
        cls._invoice(cls.customer, 1000, "2026-01-14", due="2026-02-13")

    def test_credit_manager_edits_the_limit_on_the_tab(self):
        form = Form(self.customer.with_user(self.credit_manager))
        self.assertEqual(form.credit_exposure, 1500)
        self.assertEqual(form.credit_overdue_amount, 1000)
        self.assertEqual(form.credit_oldest_overdue_days, 30)
        self.assertFalse(form.credit_has_limit, "shown as No limit")
        form.credit_limit = 2000
        # what is left is shown before saving
        self.assertTrue(form.credit_has_limit)
        self.assertEqual(form.credit_remaining, 500)
        form.save()
        self.assertEqual(self.customer.credit_limit, 2000)
        self.assertEqual(self.contact.credit_limit, 2000, "on every contact")
        note = self.customer.message_ids[0]
        self.assertIn("Credit Limit", note.body)
        self.assertIn("2,000.00", note.body)
        self.assertEqual(note.author_id, self.credit_manager.partner_id)

    def test_only_credit_managers_change_the_limit(self):
        for user in (self.collector, self.sales_manager, self.salesman):
            with self.subTest(user=user.login):
                form = Form(self.customer.with_user(user))
                if user.has_group("account.group_account_invoice"):
                    with self.assertRaisesRegex(AssertionError, "readonly"):
                        form.credit_limit = 10
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).write({"credit_limit": 10})
        self.assertEqual(self.customer.credit_limit, 0)
        # a contact shows the limit of its company, changed there
        arch = _arch(self.env["res.partner"].with_user(self.credit_manager))
        (limit,) = arch.xpath(
            "//page[@name='credit_control']//field[@name='credit_limit']"
        )
        for partner, readonly in ((self.customer, False), (self.contact, True)):
            values = {
                "parent_id": partner.parent_id.id,
                "credit_can_edit_limit": partner.with_user(
                    self.credit_manager
                ).credit_can_edit_limit,
            }
            self.assertEqual(bool(safe_eval(limit.get("readonly"), values)), readonly)

    def test_no_limit_is_said(self):
        arch = _arch(self.env["res.partner"])
        remaining = arch.xpath("//div[@name='credit_remaining']")[0]
        no_limit = remaining.xpath("./span[contains(text(), 'No limit')]")[0]
        amount = remaining.xpath("./field[@name='credit_remaining']")[0]
        customer = self.customer
        self.assertEqual(customer.credit_limit, 0)
        values = {"credit_has_limit": customer.credit_has_limit}
        self.assertTrue(_shown(no_limit, values))
        self.assertFalse(_shown(amount, values))
        customer.with_user(self.credit_manager).credit_limit = 1200
        values = {"credit_has_limit": customer.credit_has_limit}
        self.assertFalse(_shown(no_limit, values))
        self.assertTrue(_shown(amount, values))
        self.assertEqual(customer.credit_remaining, -300)

    def test_salesperson_sees_figures_in_currency_and_no_empty_section(self):
        partner = self.customer.with_user(self.salesman)
        arch = _arch(partner)
        page = arch.xpath("//page[@name='credit_control']")
        self.assertTrue(page, "the salesperson sees the tab")
        self.assertFalse(page[0].xpath(".//group[@name='credit_dunning']"))
        self.assertFalse(page[0].xpath(".//button[@name='action_credit_hold_set']"))
        for group in page[0].iter("group"):
            if group.get("string"):
                self.assertTrue(group.xpath(".//field"), group.get("string"))
        self.assertTrue(page[0].xpath(".//field[@name='credit_currency_id']"))
        fields = partner.fields_get(["credit_exposure", "credit_overdue_amount"])
        for description in fields.values():
            self.assertEqual(description["currency_field"], "credit_currency_id")
        form = Form(partner)
        self.assertEqual(form.credit_currency_id, self.company.currency_id)
        self.assertEqual(form.credit_exposure, 1500)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestCustomersList(UiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = cls.env.ref("credit_dunning.res_partner_credit_action")
        cls.customer.credit_collector_id = cls.collector
        cls._invoice(cls.customer, 1000, "2026-01-14", due="2026-02-13")
        # invoiced through a contact only: the company is the customer
        cls.martin = cls._make_customer("Martin SA", customer_rank=0)
        cls.martin_contact = cls.env["res.partner"].create(
            {"name": "Paul Martin", "parent_id": cls.martin.id}
        )
        cls._invoice(cls.martin_contact, 300, "2026-03-01", due="2026-03-31")
        cls.person = cls._make_customer("Anne Durand", is_company=False)
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Supplier", "is_company": True, "supplier_rank": 1}
        )

    def _rows(self, domain=()):
        return (
            self.env["res.partner"]
            .with_user(self.collector)
            .search([*safe_eval(self.action.domain), *domain])
        )

    def test_list_shows_the_credit_figures(self):
        arch = _arch(self.env["res.partner"], "list", self.action.view_id.id)
        columns = {node.get("name") for node in arch.iter("field")}
        for fname in (
            "credit_exposure",
            "credit_overdue_amount",
            "credit_oldest_overdue_days",
            "credit_limit",
            "credit_hold",
            "cash_only",
            "credit_collector_id",
        ):
            self.assertIn(fname, columns)
        rows = self._rows()
        self.assertIn(self.customer, rows)
        self.assertIn(self.martin, rows)
        self.assertIn(self.person, rows)
        self.assertNotIn(self.contact, rows)
        self.assertNotIn(self.martin_contact, rows)
        self.assertNotIn(self.vendor, rows)
        data = rows.web_read(
            {
                fname: {}
                for fname in columns - {"credit_currency_id", "credit_collector_id"}
            }
        )
        dupont = next(row for row in data if row["id"] == self.customer.id)
        self.assertEqual(dupont["credit_exposure"], 1000)
        self.assertEqual(dupont["credit_overdue_amount"], 1000)
        self.assertEqual(dupont["credit_oldest_overdue_days"], 30)

    def test_filters_and_group_bys(self):
        search = _arch(self.env["res.partner"], "search", self.action.search_view_id.id)
        filters = {node.get("name"): node for node in search.iter("filter")}
        self._set_flags(self.customer, credit_hold=True)
        self._set_flags(self.martin, cash_only=True)
        self.customer.with_user(self.credit_manager).credit_limit = 500
        for name, expected in (
            ("credit_over_limit", self.customer),
            ("credit_hold", self.customer),
            ("cash_only", self.martin),
        ):
            with self.subTest(filter=name):
                domain = safe_eval(filters[name].get("domain"))
                self.assertEqual(self._rows(domain), expected)
        for name, fname in (
            ("salesperson", "user_id"),
            ("group_collector", "credit_collector_id"),
            ("group_credit_hold", "credit_hold"),
        ):
            with self.subTest(group_by=name):
                context = safe_eval(filters[name].get("context"))
                self.assertEqual(context["group_by"], fname)
        groups = dict(
            self.env["res.partner"]
            .with_user(self.collector)
            ._read_group(
                safe_eval(self.action.domain), ["credit_collector_id"], ["__count"]
            )
        )
        self.assertEqual(groups[self.collector], 1)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestLevelsAndPromises(UiCommon):
    def test_level_lists_are_readable(self):
        self.assertEqual(self.levels[-3].action_summary, "Email")
        self.assertEqual(self.levels[15].action_summary, "Email, Credit Hold")
        self.assertEqual(self.levels[30].action_summary, "Email, Letter, Formal Notice")
        level = self.env["credit.dunning.level"].create(
            {
                "policy_id": self.policy.id,
                "name": "Last call",
                "offset_days": 60,
                "create_call_activity": True,
                "set_cash_only": True,
                "create_legal_activity": True,
            }
        )
        self.assertEqual(level.action_summary, "Call Task, Cash Only, Legal Hand-off")
        level.create_call_activity = False
        self.assertEqual(level.action_summary, "Cash Only, Legal Hand-off")
        policy_form = _arch(self.env["credit.dunning.policy"])
        columns = policy_form.xpath("//field[@name='level_ids']/list/field")
        shown = [node.get("name") for node in columns if node.get("optional") != "hide"]
        self.assertEqual(
            shown, ["offset_days", "name", "action_summary", "min_overdue_amount"]
        )
        level_list = _arch(self.env["credit.dunning.level"], "list")
        self.assertTrue(level_list.xpath("//field[@name='action_summary']"))

    def test_no_developer_wording(self):
        for model in (
            "credit.dunning.level",
            "credit.dunning.policy",
            "credit.dunning.promise",
            "credit.flag.wizard",
            "credit.dunning.promise.wizard",
        ):
            ours = [
                fname
                for fname, field in self.env[model]._fields.items()
                if field._module == "credit_dunning"
            ]
            for fname, description in self.env[model].fields_get(ours).items():
                with self.subTest(model=model, field=fname):
                    self.assertNotIn("Count", description["string"])
                    self.assertNotEqual(description["string"], "Communication")
        level = self.env["credit.dunning.level"].fields_get(["communication_count"])
        self.assertEqual(level["communication_count"]["string"], "Reminders")

    def _promise(self, state="open", amount=1000, day="2026-03-20"):
        invoice = self._invoice(self.customer, amount, "2026-01-14", due="2026-02-13")
        promise = (
            self.env["credit.dunning.promise"]
            .with_user(self.collector)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "date": day,
                    "amount": amount,
                }
            )
        )
        promise.sudo().state = state
        return promise, invoice

    def test_promise_is_named_by_customer_amount_and_date(self):
        promise, _invoice = self._promise()
        self.assertEqual(
            promise.display_name, "Dupont Industrie: $\xa01,000.00 by 03/20/2026"
        )
        self.assertEqual(
            promise.with_user(self.collector).read(["display_name"])[0]["display_name"],
            promise.display_name,
        )

    def test_broken_promises_are_listed_by_default(self):
        action = self.env.ref("credit_dunning.credit_dunning_promise_action")
        default = [
            key.removeprefix("search_default_")
            for key, value in safe_eval(action.context).items()
            if key.startswith("search_default_") and value
        ]
        self.assertEqual(default, ["to_follow"])
        search = _arch(self.env["credit.dunning.promise"], "search")
        (to_follow,) = search.xpath("//filter[@name='to_follow']")
        self.assertEqual(to_follow.get("string"), "To Follow")
        open_promise, _inv = self._promise()
        broken, _inv = self._promise("broken", 200)
        _broken_paid, paid_invoice = self._promise("broken", 300)
        self._pay(paid_invoice, pay_date="2026-03-14")
        _kept, _inv = self._promise("kept", 400)
        listed = (
            self.env["credit.dunning.promise"]
            .with_user(self.collector)
            .search(safe_eval(to_follow.get("domain")))
        )
        self.assertEqual(listed, open_promise | broken)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestDisputesAndReminders(UiCommon):
    def test_disputes_menu_lists_and_resolves(self):
        menu = self.env.ref("credit_dunning.account_move_dispute_menu")
        self.assertEqual(
            menu.parent_id.parent_id, self.env.ref("credit_dunning.credit_control_menu")
        )
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.collector)._visible_menu_ids())
        self.assertNotIn(
            menu.parent_id.parent_id.id,
            Menu.with_user(self.salesman)._visible_menu_ids(),
        )
        action = menu.action
        invoice = self._invoice(self.customer, 1000, "2026-01-14", due="2026-02-13")
        other = self._invoice(self.customer, 200, "2026-01-14", due="2026-02-13")
        self.env["credit.dunning.dispute.wizard"].with_user(self.collector).create(
            {"move_ids": [Command.set(invoice.ids)], "reason": "Goods damaged"}
        ).action_dispute()
        Move = self.env["account.move"].with_user(self.collector)
        disputed = Move.search(safe_eval(action.domain))
        self.assertEqual(disputed, invoice)
        self.assertEqual(disputed.dunning_dispute_reason, "Goods damaged")
        arch = _arch(Move, "list", action.view_id.id)
        self.assertTrue(arch.xpath("//field[@name='dunning_dispute_reason']"))
        resolve = arch.xpath("//button[@name='action_dunning_resolve_dispute']")
        self.assertEqual({node.get("string") for node in resolve}, {"Resolve"})
        disputed.action_dunning_resolve_dispute()
        self.assertFalse(Move.search(safe_eval(action.domain)))
        self.assertIn("Dispute resolved", invoice.message_ids[0].body)
        self.assertFalse(other.dunning_dispute)

    def test_reminder_status_bar_shows_its_own_path(self):
        Comm = self.env["credit.dunning.communication"]
        arch = _arch(Comm)
        bars = arch.xpath("//header/field[@name='state'][@widget='statusbar']")
        states = [key for key, _label in Comm._fields["state"].selection]
        for state in states:
            with self.subTest(state=state):
                shown = [bar for bar in bars if _shown(bar, {"state": state})]
                self.assertEqual(len(shown), 1)
                visible = shown[0].get("statusbar_visible").split(",")
                path = [s for s in states if s == state or s in visible]
                if state in ("to_print", "printed"):
                    self.assertEqual(path, ["to_print", "printed"])
                else:
                    self.assertEqual(path, [state])
        buttons = _arch(Comm, "list").xpath("//header/button")
        self.assertEqual(
            [node.get("string") for node in buttons],
            ["Print Letters", "Mark as Printed"],
        )


@tagged("post_install", "-at_install")
class TestSettingsAndMenus(UiCommon):
    def test_every_company_uses_the_shipped_policy(self):
        main = self.env.ref("base.main_company")
        self.assertEqual(main.credit_dunning_policy_id, self.policy)
        # the test company was created after the install
        self.assertEqual(self.company.credit_dunning_policy_id, self.policy)
        new = self.env["res.company"].create({"name": "Filiale Bordeaux"})
        self.assertEqual(new.credit_dunning_policy_id, self.policy)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.credit_dunning_policy_id, self.policy)
        arch = _arch(self.env["res.config.settings"])
        self.assertTrue(arch.xpath("//field[@name='credit_dunning_policy_id']"))
        # running the install step again keeps a company's own choice
        other = self.policy.copy({"name": "Strict ladder"})
        self.company.credit_dunning_policy_id = other
        self.env["credit.dunning.policy"]._set_shipped_policy_as_default()
        self.assertEqual(self.company.credit_dunning_policy_id, other)

    def test_menus_of_the_invoicing_app(self):
        root = self.env.ref("credit_dunning.credit_control_menu")
        self.assertEqual(root.parent_id, self.env.ref("account.menu_finance"))
        Menu = self.env["ir.ui.menu"]

        def shown(menu, user):
            """The names a user sees under ``menu``, sub-menus as headers."""
            visible = Menu.with_user(user)._visible_menu_ids()
            names = []
            for child in menu.child_id.filtered(lambda m: m.id in visible):
                if child.child_id:
                    names.append((child.name, shown(child, user)))
                else:
                    self.assertTrue(child.action, child.name)
                    names.append(child.name)
            return names

        # grouped as Odoo's apps are, eight entries a group at most
        collector = shown(root, self.collector)
        self.assertEqual(
            collector,
            [
                ("Overview", ["Cockpit", "My Worklist"]),
                (
                    "Customers",
                    [
                        "Customers",
                        "Credit Reviews",
                        "Payment Behaviour",
                        "Customers Over the Legal Term",
                    ],
                ),
                (
                    "Collection",
                    [
                        "Reminders",
                        "Letters to Print",
                        "Payment Promises",
                        "Payment Plans",
                        "Disputes",
                        "Dunning Runs",
                        "Preview Next Run",
                        # the README says credit users may run it
                        "Run Dunning Now",
                    ],
                ),
                ("Orders & Deliveries", ["Credit Blocked Orders"]),
                (
                    "Legal",
                    [
                        "Agency Placements",
                        "Agency Report",
                        "Collection Agencies",
                        "Customers in Proceedings",
                        "Claims in Proceedings",
                    ],
                ),
                (
                    "Reporting",
                    [
                        "Aged Receivables",
                        "Receivables History",
                        "Invoices Over the Legal Term",
                        "Payment Delay Table (D.441-6)",
                    ],
                ),
            ],
        )
        manager = shown(root, self.credit_manager)
        for _section, entries in manager:
            self.assertLessEqual(len(entries), 8, _section)
        self.assertIn(
            (
                "Legal",
                [
                    "Agency Placements",
                    "Agency Report",
                    "Collection Agencies",
                    "Import Agency Statuses",
                    "Customers in Proceedings",
                    "Claims in Proceedings",
                    "Import BODACC Notices",
                ],
            ),
            manager,
        )
        self.assertEqual(manager[-1][0], "Configuration")
        self.assertEqual(
            set(manager[-1][1]),
            {
                "Dunning Policies",
                "Dunning Levels",
                "Reference Rates",
                "Import Credit Limits",
                "Payment Segments",
            },
        )
        sections = self.env.ref("account.menu_finance").child_id.sorted("sequence")
        self.assertLess(
            sections.ids.index(self.env.ref("account.menu_finance_payables").id),
            sections.ids.index(root.id),
            "after Customers and Vendors",
        )

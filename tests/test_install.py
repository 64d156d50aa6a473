from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditDunningCommon


@tagged("post_install", "-at_install")
class TestInstall(CreditDunningCommon):
    def test_groups(self):
        user_group = self.env.ref("credit_dunning.group_credit_control_user")
        manager_group = self.env.ref("credit_dunning.group_credit_control_manager")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertEqual(manager_group.privilege_id.name, "Credit Control")
        # Accounting managers are credit managers.
        self.assertTrue(
            self.simple_accountman.has_group(
                "credit_dunning.group_credit_control_manager"
            )
        )
        self.assertTrue(
            self.credit_manager.has_group("credit_dunning.group_credit_control_user")
        )
        self.assertFalse(
            self.collector.has_group("credit_dunning.group_credit_control_manager")
        )
        self.assertFalse(
            self.salesman.has_group("credit_dunning.group_credit_control_user")
        )

    def test_internal_user_sees_no_credit_records(self):
        policy = self.env.ref("credit_dunning.credit_dunning_policy_default")
        for model in (
            "credit.dunning.policy",
            "credit.dunning.level",
            "credit.dunning.run",
            "credit.dunning.communication",
            "credit.dunning.promise",
        ):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            policy.with_user(self.internal_user).read(["name"])

    def test_salesman_reads_but_cannot_edit(self):
        policy = self.env.ref("credit_dunning.credit_dunning_policy_default").with_user(
            self.salesman
        )
        self.assertEqual(policy.name, "Default dunning ladder")
        with self.assertRaises(AccessError):
            policy.name = "Mine"
        with self.assertRaises(AccessError):
            policy.level_ids[0].offset_days = 99
        with self.assertRaises(AccessError):
            self.env["credit.dunning.promise"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "date": "2026-01-01", "amount": 10}
            )
        # ... and cannot put a customer on hold.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman)._credit_set_flags(
                "no", credit_hold=True
            )
        self.assertFalse(self.customer.credit_hold)

    def test_collector_cannot_configure(self):
        policy = self.env.ref("credit_dunning.credit_dunning_policy_default").with_user(
            self.collector
        )
        self.assertTrue(policy.level_ids)
        with self.assertRaises(AccessError):
            policy.promise_grace_days = 10

    def test_menus(self):
        menu = self.env.ref("credit_dunning.credit_control_menu")
        self.assertEqual(menu.parent_id, self.env.ref("account.menu_finance"))
        Menu = self.env["ir.ui.menu"]
        visible = Menu.with_user(self.simple_accountman)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(
            self.env.ref("credit_dunning.credit_dunning_policy_menu").id, visible
        )
        self.assertIn(menu.id, Menu.with_user(self.collector)._visible_menu_ids())
        # Configuration is for credit managers only.
        self.assertNotIn(
            self.env.ref("credit_dunning.credit_control_configuration_menu").id,
            Menu.with_user(self.collector)._visible_menu_ids(),
        )
        self.assertNotIn(
            menu.id, Menu.with_user(self.internal_user)._visible_menu_ids()
        )
        self.assertNotIn(menu.id, Menu.with_user(self.salesman)._visible_menu_ids())

    def test_default_policy(self):
        policy = self.env.ref("credit_dunning.credit_dunning_policy_default")
        levels = policy.level_ids.sorted("offset_days")
        self.assertEqual(levels.mapped("offset_days"), [-3, 5, 7, 8, 15, 30, 45])
        by_offset = {level.offset_days: level for level in levels}
        self.assertTrue(by_offset[-3].send_email)
        self.assertTrue(by_offset[5].send_email)
        self.assertTrue(by_offset[7].create_call_activity)
        self.assertTrue(by_offset[8].create_escalation_activity)
        self.assertTrue(by_offset[15].set_credit_hold)
        self.assertTrue(by_offset[30].send_letter and by_offset[30].formal_notice)
        self.assertTrue(
            by_offset[45].set_cash_only and by_offset[45].create_legal_activity
        )
        self.assertEqual(
            self.env["credit.dunning.policy"]._get_default_policy(self.company), policy
        )
        cron = self.env.ref("credit_dunning.ir_cron_dunning_run")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertEqual(cron.code, "model._cron_run()")

"""Uninstalling the addon from a database that has reminders, then installing
it again, in a database of its own: a transaction test cannot uninstall.
Each step is an Odoo process of its own with its own log, which must carry
no WARNING and no ERROR. About 90 seconds (two installs)."""

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from odoo.tests import BaseCase, tagged
from odoo.tools import config

_logger = logging.getLogger(__name__)
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")

REMINDERS = """
from datetime import timedelta
from odoo import fields
today = fields.Date.context_today(env["res.partner"])
partner = env["res.partner"].create(
    {"name": "Uninstall SA", "is_company": True, "email": "u@example.com"}
)
for days in (50, 20, 6):
    invoice = env["account.move"].create({
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": today - timedelta(days=days + 30),
        "invoice_date_due": today - timedelta(days=days),
        "invoice_line_ids": [(0, 0, {"name": "Thing", "quantity": 1, "price_unit": 100})],
    })
    invoice.action_post()
env["credit.dunning.run"]._run(env.company)
env["credit.payment.behaviour"]._compute_for_company(env.company)
print("REMINDERS", env["credit.dunning.communication"].search_count([]))
env.cr.commit()
module = env["ir.module.module"].search([("name", "=", "credit_dunning")])
module.button_immediate_uninstall()
env.cr.commit()
"""

AFTER = """
partners = env["res.partner"].search_read([("name", "=", "Uninstall SA")], ["name"])
print("PARTNERS", len(partners))
print("STATE", env["ir.module.module"].search([("name", "=", "credit_dunning")]).state)
env.cr.commit()
env["ir.module.module"].search(
    [("name", "=", "credit_dunning")]
).button_immediate_install()
env.cr.commit()
"""

CHECK = """
print("STATE", env["ir.module.module"].search([("name", "=", "credit_dunning")]).state)
print("LEVELS", env["credit.dunning.level"].search_count([]))
print("SEGMENTS", env["credit.segment"].search_count([]))
print("PARTNERS", env["res.partner"].search_count([("name", "=", "Uninstall SA")]))
"""


@tagged("post_install", "-at_install", "uninstall")
class TestUninstall(BaseCase):
    def _odoo(self, db, log, *args, shell=None):
        addons_path = config["addons_path"]
        if not isinstance(addons_path, str):
            addons_path = ",".join(addons_path)
        command = [
            sys.executable,
            "-m",
            "odoo",
            *(["shell"] if shell else []),
            "-d",
            db,
            f"--addons-path={addons_path}",
            f"--data-dir={self.data_dir}",
            f"--logfile={log}",
            "--log-level=info",
            "--no-http",
            *args,
        ]
        result = subprocess.run(
            command, input=shell, capture_output=True, text=True, check=False
        )
        text = Path(log).read_text(encoding="utf-8", errors="replace")
        self.assertEqual(result.returncode, 0, result.stderr[-3000:] or text[-3000:])
        problems = [line for line in text.splitlines() if PROBLEM.match(line)]
        self.assertFalse(problems, "\n".join(problems[:20]))
        return result.stdout

    def test_uninstall_with_reminders_and_install_again(self):
        start = time.monotonic()
        work = tempfile.mkdtemp(prefix="credit_dunning_uninstall_")
        self.data_dir = os.path.join(work, "data")
        db = f"credit_dunning_uninstall_{os.getpid()}"
        subprocess.run(["dropdb", "--if-exists", db], check=True, capture_output=True)
        self.addCleanup(
            subprocess.run, ["dropdb", "--if-exists", db], capture_output=True
        )
        self._odoo(
            db, f"{work}/install.log", "-i", "credit_dunning", "--stop-after-init"
        )
        # a run leaves reminders at levels of the shipped ladder, then uninstall
        out = self._odoo(db, f"{work}/uninstall.log", shell=REMINDERS)
        reminders = int(re.search(r"REMINDERS (\d+)", out).group(1))
        self.assertGreater(reminders, 0)
        # Odoo works without it (the customer is still there), and it installs again
        out = self._odoo(db, f"{work}/reinstall.log", shell=AFTER)
        self.assertIn("PARTNERS 1", out)
        self.assertIn("STATE uninstalled", out)
        out = self._odoo(db, f"{work}/check.log", shell=CHECK)
        self.assertIn("STATE installed", out)
        self.assertIn("LEVELS 7", out)
        self.assertRegex(out, r"SEGMENTS [1-9]")
        self.assertIn("PARTNERS 1", out)
        _logger.info("uninstall and install again: %.0f s", time.monotonic() - start)
        shutil.rmtree(work)  # the logs stay when it fails

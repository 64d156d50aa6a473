#!/usr/bin/env python3
"""Screenshots of the demo's main screens, for the README.

    DEMO_PORT=8169 scripts/demo            # in another terminal: serve the demo
    python3 scripts/screenshots.py --url http://127.0.0.1:8169

Logs in (admin / admin) with Playwright in the system's Chromium (no browser
download: ``--chromium`` names its executable) and writes into docs/:

- ``cockpit.png``: Invoicing > Credit Control > Cockpit, the credit
  controller's landing page (figures, aging, forecast, trend, worklist);
- ``customer_credit_control.png``: a customer's Credit Control tab;
- ``reminders.png``: Invoicing > Credit Control > Reminders after the run;
- ``blocked_quotation.png``: a quotation over the credit limit, and what
  Odoo answers when the salesperson confirms it;
- ``reminder_email.png``: a formal notice, with its email in the chatter;
- ``formal_notice_letter.png``: the first page of its PDF letter.

Needs a Python with ``playwright`` and ``pdftoppm`` (poppler-utils).
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sys.exit(
        "playwright is missing: run this script with a Python that has it "
        "(pip install playwright; the system's Chromium is used)."
    )

ROOT = pathlib.Path(__file__).resolve().parent.parent
WIDE = {"width": 1600, "height": 900}  # wide enough for the chatter beside forms


def report(path):
    print(f"{path}  ({path.stat().st_size // 1024} KB)")


class Demo:
    def __init__(self, page, url):
        self.page = page
        self.url = url.rstrip("/")

    def login(self, login, password):
        page = self.page
        page.goto(f"{self.url}/web/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar", timeout=60000)

    def call(self, model, method, *args, **kwargs):
        response = self.page.request.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        if "error" in body:
            raise RuntimeError(f"{model}.{method}: {body['error']['data']['message']}")
        return body["result"]

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        if not rows:
            sys.exit(f"{xmlid} not found: is this the database of scripts/demo?")
        return rows[0]["res_id"]

    def open(self, path, selector):
        self.page.goto(f"{self.url}/odoo/{path}")
        self.page.wait_for_selector(selector, timeout=60000)
        self.settle()

    def settle(self):
        # Odoo's bus keeps a connection open: no "network idle" to wait for
        self.page.wait_for_timeout(1500)  # pending RPCs, animations, chatter

    def shoot(self, out, name, **options):
        path = out / name
        self.page.screenshot(path=str(path), **options)
        report(path)


def take_cockpit(demo, out):
    """The cockpit after the run: figures, aging, forecast, trend, worklist."""
    page = demo.page
    page.set_viewport_size({"width": WIDE["width"], "height": 1500})
    demo.open("action-credit_dunning.credit_cockpit_action", ".o_credit_trend canvas")
    demo.shoot(out, "cockpit.png")
    page.set_viewport_size(WIDE)


def take(demo, out):
    page = demo.page
    # A customer's Credit Control tab: Hôtel du Parc, at the formal notice.
    partner = demo.ref("credit_dunning.res_partner_formal_notice_demo")
    page.set_viewport_size({"width": WIDE["width"], "height": 1150})
    demo.open(f"action-account.res_partner_action_customer/{partner}", ".o_form_view")
    # the demo's users work in French: the tab reads "Contrôle du crédit"
    page.get_by_role(
        "tab", name=re.compile("^(Credit Control|Contrôle du crédit)$")
    ).click()
    demo.settle()
    demo.shoot(out, "customer_credit_control.png")
    page.set_viewport_size(WIDE)

    # The reminders of the run.
    demo.open(
        "action-credit_dunning.credit_dunning_communication_action", ".o_list_view"
    )
    demo.shoot(out, "reminders.png")

    # Limit Logistics' quotation: the salesperson presses Confirm.
    order = demo.ref("credit_dunning.sale_order_limit_demo")
    demo.open(f"action-sale.action_quotations_with_onboarding/{order}", ".o_form_view")
    page.locator("button[name=action_confirm]:visible").first.click()
    page.wait_for_selector(".modal .modal-body", timeout=30000)
    demo.settle()
    demo.shoot(out, "blocked_quotation.png")
    page.keyboard.press("Escape")

    # The formal notice sent to Hôtel du Parc: the email in the chatter...
    comm = demo.call(
        "credit.dunning.communication",
        "search_read",
        [("partner_id", "=", partner)],
        ["attachment_id"],
        limit=1,
    )
    if not comm:
        sys.exit("Hôtel du Parc has no reminder: did scripts/demo run the cron?")
    demo.open(
        f"action-credit_dunning.credit_dunning_communication_action/{comm[0]['id']}",
        ".o-mail-Message",
    )
    demo.shoot(out, "reminder_email.png")

    # ... and the first page of its letter.
    attachment = comm[0]["attachment_id"]
    if not attachment:
        sys.exit("The formal notice has no letter attached.")
    response = page.request.get(f"{demo.url}/web/content/{attachment[0]}")
    if response.headers.get("content-type", "").split(";")[0] != "application/pdf":
        sys.exit("The formal notice's letter is not a PDF.")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = pathlib.Path(tmp, "letter.pdf")
        pdf.write_bytes(response.body())
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"]
            + [str(pdf), str(out / "formal_notice_letter")],
            check=True,
        )
    report(out / "formal_notice_letter.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--only-cockpit", action="store_true", help="retake docs/cockpit.png only"
    )
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=["--no-sandbox"]
        )
        try:
            page = browser.new_page(viewport=WIDE, locale="en-US")
            demo = Demo(page, args.url)
            demo.login(args.login, args.password)
            take_cockpit(demo, out)
            if not args.only_cockpit:
                take(demo, out)
        finally:
            browser.close()


if __name__ == "__main__":
    main()

# Run by scripts/demo inside `odoo shell`: load the addon's demo data (the
# "demo" files of its manifest) into the French database, which was installed
# without Odoo's own demo data (that data would give the main company Odoo's
# generic chart of accounts instead of the French one). An install with demo
# data (--with-demo) loads the same files by itself. Not part of the addon:
# nothing imports this file.
# ruff: noqa: F821  (env is provided by odoo shell)
from odoo.modules.module import get_manifest
from odoo.tools import convert_file

# as during an install: no "you have been assigned" email per demo customer
env = env(context=dict(env.context, mail_auto_subscribe_no_notify=True))
idref = {}
for filename in get_manifest("credit_dunning")["demo"]:
    convert_file(env, "credit_dunning", filename, idref, mode="init", noupdate=True)
# Odoo's demo payment provider, in test mode: the customers' "Pay" works
demo_provider = env.ref("payment.payment_provider_demo", raise_if_not_found=False)
if demo_provider:
    demo_provider.write(
        {
            "state": "test",
            "is_published": True,
            "payment_method_ids": [
                (6, 0, env.ref("payment_demo.payment_method_demo").ids)
            ],
        }
    )
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", demo_provider.company_id.id)],
        limit=1,
    )
    if bank and not demo_provider.journal_id:
        demo_provider.journal_id = bank
# like an install with demo data: an update of the addon updates its demo too
env.cr.execute("UPDATE ir_module_module SET demo = TRUE WHERE name = 'credit_dunning'")
env.cr.commit()

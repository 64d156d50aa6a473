# Run by scripts/demo inside `odoo shell`, on a database where only `base` is
# installed: the main company becomes a French SME working in euros before
# accounting is installed, so that Odoo gives it the French chart of accounts
# (l10n_fr) on its own. Not part of the addon: nothing imports this file.
# ruff: noqa: F821  (env is provided by odoo shell)
company = env.ref("base.main_company")
euro = env.ref("base.EUR")
euro.active = True
# install_mode: l10n_fr is installed by the next step, with the other apps,
# instead of right now from this shell
company.with_context(install_mode=True).write(
    {
        "name": "Métallerie Dubois SAS",
        "street": "14 rue de la République",
        "zip": "69002",
        "city": "Lyon",
        "country_id": env.ref("base.fr").id,
        "currency_id": euro.id,
        "phone": "+33 4 78 42 10 10",
        "email": "compta@metallerie-dubois.example.com",
        "website": "https://www.metallerie-dubois.example.com",
        "vat": "FR19812345676",
        "company_registry": "81234567600017",
    }
)
env["res.partner.bank"].create(
    {
        "acc_number": "FR76 3000 6000 0112 3456 7890 189",
        "partner_id": company.partner_id.id,
    }
)
# Its logo (drawn here: a real company uploads its own), instead of Odoo's
# "Your logo" placeholder on the documents and the customers' pages.
import base64  # noqa: E402
import io  # noqa: E402

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

logo = Image.new("RGB", (480, 160), "white")
draw = ImageDraw.Draw(logo)
draw.rectangle((8, 8, 152, 152), fill="#1f4e79")
try:
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", 64)
    small = ImageFont.truetype("DejaVuSans-Bold.ttf", 34)
except OSError:
    font = small = ImageFont.load_default()
draw.text((80, 80), "MD", fill="white", font=font, anchor="mm")
draw.text((176, 56), "Métallerie", fill="#1f4e79", font=small, anchor="lm")
draw.text((176, 104), "Dubois", fill="#1f4e79", font=small, anchor="lm")
buffer = io.BytesIO()
logo.save(buffer, format="PNG")
company.logo = base64.b64encode(buffer.getvalue())
# Its document layout is chosen, as a real company does the first time it
# prints: the first "Print Letters" then prints instead of asking for it.
layout = env.ref("web.external_layout_standard", raise_if_not_found=False)
if layout:
    company.external_report_layout_id = layout
# The credit manager who runs the demo (login admin / admin).
env.ref("base.user_admin").write(
    {
        "name": "Claire Fontaine",
        "email": "claire.fontaine@metallerie-dubois.example.com",
        "tz": "Europe/Paris",
    }
)
env.cr.commit()

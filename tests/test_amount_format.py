from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount

from ..dunning_levels.credit_dunning_communication import amount_formatter


@tagged("post_install", "-at_install")
class TestAmountFormatter(TransactionCase):
    def test_same_text_as_odoo(self):
        """The reminders' tables format amounts exactly as Odoo's
        format_amount does, in every language and currency."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["res.lang"]._activate_lang("de_CH")
        fast = amount_formatter(self.env)
        currencies = [
            self.env.ref("base.USD"),
            self.env.ref("base.EUR"),
            self.env.ref("base.JPY"),
            self.env.ref("base.KWD"),
        ]
        amounts = [0, 0.005, 1, -1, 12.345, -1234.5, 1234567.891, -98765432.1, 1e12]
        for lang in (False, "en_US", "fr_FR", "de_CH"):
            for currency in currencies:
                for amount in amounts:
                    with self.subTest(lang=lang, currency=currency.name, amount=amount):
                        self.assertEqual(
                            fast(amount, currency, lang),
                            format_amount(self.env, amount, currency, lang),
                        )

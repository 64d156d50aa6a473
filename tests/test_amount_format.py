from datetime import date, datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount

from ..dunning_levels.credit_dunning_communication import (
    amount_formatter,
    date_formatter,
)


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


@tagged("post_install", "-at_install")
class TestDateFormatter(TransactionCase):
    def test_same_text_as_odoo(self):
        """The reminders' tables format due dates exactly as the email
        templates' format_date does, in the recipient's language or the one
        asked, with an explicit format or a datetime left to Odoo."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["res.lang"]._activate_lang("de_CH")
        values = [
            date(2026, 1, 5),
            date(2026, 12, 31),
            date(1999, 2, 28),
            datetime(2026, 3, 4, 23, 30),
            "2026-07-14",
            False,
        ]
        for context_lang in ("en_US", "fr_FR", "de_CH"):
            env = self.env(context=dict(self.env.context, lang=context_lang))
            odoo = env["mail.render.mixin"]._render_eval_context()["format_date"]
            fast = date_formatter(env, odoo)
            for value in values:
                for lang in (False, "en_US", "fr_FR"):
                    for pattern in (False, "MMMM y"):
                        with self.subTest(
                            context=context_lang,
                            value=value,
                            lang=lang,
                            pattern=pattern,
                        ):
                            self.assertEqual(
                                fast(value, pattern, lang), odoo(value, pattern, lang)
                            )
        # a French reader sees a French date, not the English one
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        fast = date_formatter(
            env, env["mail.render.mixin"]._render_eval_context()["format_date"]
        )
        self.assertEqual(fast(date(2026, 1, 5)), "05/01/2026")
        self.assertEqual(fast(date(2026, 1, 5), lang_code="en_US"), "01/05/2026")

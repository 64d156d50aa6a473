from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

from ..dunning_levels.chatter import staff_env
from ..dunning_levels.credit_dunning_communication import format_percent

# the days a formal notice gives the customer to pay
NOTICE_DAYS = 8

# a level counts as sent when its reminder went out, or was recorded as
# impossible (failed, with its reason and a task for the collector); not when
# it waits for a setting or its letter is still to be printed
DONE_STATES = ("queued", "sent", "printed", "done", "failed")


class CreditDunningCommunication(models.Model):
    _inherit = "credit.dunning.communication"

    # the legal-action check of the hand-off level
    legal_ready = fields.Boolean(
        string="Ready for Legal Action",
        readonly=True,
        help="At the hand-off level: every condition of legal action holds.",
    )
    legal_threshold = fields.Monetary(string="Legal Action Threshold", readonly=True)
    legal_recoverable = fields.Monetary(
        string="Estimated Recoverable Amount",
        readonly=True,
        help="Overdue invoices, late-payment interest and recovery indemnities "
        "on the day of the hand-off, company currency.",
    )
    legal_check = fields.Text(
        string="Legal Action Check",
        readonly=True,
        help="The conditions of legal action that are missing, or that all hold.",
    )
    # the formal notice's proof of delivery (registered letter receipt)
    is_formal_notice = fields.Boolean(related="level_id.formal_notice")
    delivery_proof = fields.Binary(
        attachment=True,
        help="The acknowledgement of receipt of the formal notice (scan or "
        "postal tracking proof).",
    )
    delivery_proof_filename = fields.Char()
    delivery_proof_date = fields.Date(
        help="The day the customer received the formal notice."
    )

    @api.constrains("delivery_proof", "delivery_proof_date")
    def _check_delivery_proof(self):
        for comm in self:
            if (
                comm.delivery_proof or comm.delivery_proof_date
            ) and not comm.level_id.formal_notice:
                raise ValidationError(
                    self.env._(
                        "A delivery proof is recorded on a formal notice only, "
                        "not on “%s”.",
                        comm.name,
                    )
                )
            if comm.delivery_proof_date and comm.delivery_proof_date < comm.date:
                raise ValidationError(
                    self.env._(
                        "The formal notice “%s” cannot be received before it was sent.",
                        comm.name,
                    )
                )

    # ------------------------------------------------------------------
    # The letter
    # ------------------------------------------------------------------
    def _credit_letter_values(self):
        """What a letter prints besides its invoices, in the language of the
        context (the reader's): the sender's identity and, for a formal
        notice, the claim as of today (the overdue invoices net of the open
        credit notes, the interest per half-year, the indemnities, the
        total), the deadline and the sentence that states them."""
        self.ensure_one()
        env = self.env
        company = self.company_id
        postal = self.recipient_id if self.recipient_id.country_id else self.partner_id
        date = format_date(env, self.date)
        values = dict(
            company._credit_letterhead(postal.country_id),
            claim=None,
            place_date=company.city
            and env._("%(city)s, %(date)s", city=company.city, date=date)
            or date,
        )
        if not self.level_id.formal_notice:
            return values
        currency = self.currency_id
        today = fields.Date.context_today(self)
        late = self.line_ids.move_id.filtered(lambda m: m.move_type == "out_invoice")
        figures = (
            self.partner_id.commercial_partner_id.sudo()
            .with_env(env)
            ._credit_legal_figures(company, max(today, self.date), invoices=late)
        )

        def money(amount):
            return format_amount(env, amount, currency)

        interest = 0.0 if figures["error"] else figures["interest"]
        total = currency.round(self.amount_due + interest + figures["indemnity"])
        deadline = fields.Date.add(self.date, days=NOTICE_DAYS)
        values["claim"] = {
            "half_years": [
                {
                    "label": env._(
                        "Late-payment interest from %(date_from)s to %(date_to)s "
                        "at %(rate)s",
                        date_from=format_date(env, half["first"]),
                        date_to=format_date(env, half["end"]),
                        rate=format_percent(env, half["rate"]),
                    ),
                    "amount": half["interest"],
                }
                for half in ([] if figures["error"] else figures["half_years"])
            ],
            "indemnity": figures["indemnity"],
            "indemnity_label": figures["indemnity_count"]
            and env._(
                "Fixed recovery indemnities: %(count)s x %(each)s",
                count=figures["indemnity_count"],
                each=money(figures["indemnity"] / figures["indemnity_count"]),
            ),
            "total": total,
            "deadline": deadline,
            "notice": env._(
                "We hereby give you formal notice to pay the sum of %(total)s "
                "within eight days of the date of this letter, that is by "
                "%(deadline)s at the latest.",
                total=money(total),
                deadline=format_date(env, deadline),
            ),
        }
        return values

    # ------------------------------------------------------------------
    # The legal-action check
    # ------------------------------------------------------------------
    def _credit_legal_handoff(self):
        """The last rung: the hand-off task for the collector says whether
        the customer is ready for legal action or a collection agency, with
        the threshold and the estimated recoverable amount, or names each
        condition that is missing. Replaces the plain task of the ladder.
        What the checks read is read once for the whole batch."""
        prefetched = self._credit_legal_prefetch()
        tasks = []
        for comm in self:
            partner = comm.partner_id
            staff = staff_env(self.env, comm.company_id)
            check = comm.with_env(staff)._credit_legal_check(prefetched)
            comm.sudo().write(
                {
                    "legal_ready": check["ready"],
                    "legal_threshold": check["threshold"],
                    "legal_recoverable": check["recoverable"],
                    "legal_check": "\n".join(check["lines"]),
                }
            )
            ready = check["ready"]

            def summary(env, ready=ready, partner=partner):
                if ready:
                    return env._(
                        "%(partner)s is ready for legal action or a collection agency",
                        partner=partner.name,
                    )
                return env._(
                    "%(partner)s is not ready for legal action yet",
                    partner=partner.name,
                )

            def note(env, comm=comm, check=check, staff=staff):
                # the collector's language (the check again only when it is
                # not the company's)
                if env.lang != staff.lang:
                    check = comm.with_env(env)._credit_legal_check(prefetched)
                return Markup("<p>%s</p><ul>%s</ul>") % (
                    comm.with_env(env)._overdue_summary(),
                    Markup().join(
                        Markup("<li>%s</li>") % line for line in check["lines"]
                    ),
                )

            tasks.append(
                comm._task(
                    "credit_dunning.mail_activity_type_dunning_legal",
                    partner._credit_dunning_collector(comm.company_id),
                    summary,
                    note=note,
                )
            )
        return tasks

    def _credit_legal_prefetch(self):
        """What the legal checks of these reminders read, in a few queries:
        the customers' overdue invoices (with their receivable lines and
        payments), the earlier levels' reminders of those invoices, the
        disputes, promises and payment plans running."""
        if not self:
            return {}
        partners = self.partner_id.commercial_partner_id
        companies = self.company_id
        as_of = max(self.mapped("date"))
        Move = self.env["account.move"].sudo()
        invoices = Move.search(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("company_id", "in", companies.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, name, id",
        )
        # the receivable lines and their payments, read for all at once (the
        # receivable lines only: reading all the invoices' lines to filter
        # them took a tenth of a letter run at 10,000 invoices)
        receivables = invoices._credit_receivable_triples()
        levels = self.level_id.policy_id.level_ids
        done = {
            (line.move_id.id, line.level_id.id): line.communication_id.state
            for line in self.env["credit.dunning.communication.line"]
            .sudo()
            .search(
                [
                    ("move_id", "in", self.line_ids.move_id.ids),
                    ("level_id", "in", levels.ids),
                ]
            )
        }
        customer = [
            ("partner_id", "in", partners.ids),
            ("company_id", "in", companies.ids),
        ]
        promises = (
            self.env["credit.dunning.promise"]
            .sudo()
            .search(customer + [("state", "=", "open")])
        )
        plans = (
            self.env["credit.dunning.plan"]
            .sudo()
            .search(customer + [("state", "in", ("requested", "accepted"))])
        )
        return {
            "as_of": as_of,
            "invoices": invoices.grouped(
                lambda m: (m.commercial_partner_id.id, m.company_id.id)
            ),
            "done": done,
            "promises": promises.grouped(lambda p: (p.partner_id.id, p.company_id.id)),
            "plans": plans.grouped(lambda p: (p.partner_id.id, p.company_id.id)),
            "rates": {
                company: company._credit_penalty_rate_for() for company in companies
            },
            "receivables": receivables,
            "indemnity": {
                company: company._credit_recovery_indemnity_company_currency(as_of)
                for company in companies
            },
        }

    def _credit_legal_check(self, prefetched=None):
        """{ready, threshold, recoverable, missing: [text], lines: [text]}
        with the texts in the language of the context. The conditions:

        1. overdue + interest + indemnities (as of the reminder's date) reach
           the policy's threshold;
        2. every earlier level of the ladder from the due date on reached
           these invoices and was sent (or recorded as impossible: failed);
        3. no open invoice of the customer is disputed;
        4. no open payment promise, no payment plan requested or running.

        ``prefetched``: what ``_credit_legal_prefetch`` read for a batch.
        """
        self.ensure_one()
        env = self.env
        company = self.company_id
        currency = company.currency_id
        partner = self.partner_id.commercial_partner_id.sudo()
        level = self.level_id
        threshold = level.policy_id.legal_threshold
        key = (partner.id, company.id)
        open_invoices = None
        if prefetched:
            open_invoices = prefetched["invoices"].get(key, self.env["account.move"])
        figures = partner._credit_legal_figures(
            company,
            self.date,
            invoices=open_invoices,
            rate_for=prefetched and prefetched["rates"].get(company),
            indemnity=prefetched and prefetched["indemnity"].get(company),
            receivables=prefetched and prefetched["receivables"],
        )
        recoverable = figures["total"]
        missing = []

        def money(amount):
            return format_amount(env, amount, currency)

        # 1. the amount
        if figures["error"]:
            missing.append(env._("Interest cannot be estimated: %s", figures["error"]))
        if currency.compare_amounts(recoverable, threshold) < 0:
            missing.append(
                env._(
                    "Amount below the threshold: %(amount)s recoverable (overdue "
                    "%(principal)s, interest %(interest)s, indemnities "
                    "%(indemnity)s) for a threshold of %(threshold)s.",
                    amount=money(recoverable),
                    principal=money(figures["principal"]),
                    interest=money(figures["interest"]),
                    indemnity=money(figures["indemnity"]),
                    threshold=money(threshold),
                )
            )
        # 2. the earlier levels, for the invoices of this hand-off
        moves = self.line_ids.filtered(lambda line: line.level_id == level).move_id
        earlier = level.policy_id.level_ids.filtered(
            lambda lvl: 0 <= lvl.offset_days < level.offset_days
        ).sorted("offset_days")
        if prefetched:
            done = prefetched["done"]
        else:
            done = {
                (line.move_id.id, line.level_id.id): line.communication_id.state
                for line in self.env["credit.dunning.communication.line"]
                .sudo()
                .search([("move_id", "in", moves.ids), ("level_id", "in", earlier.ids)])
            }
        for step in earlier:
            never = moves.filtered(lambda m, s=step: (m.id, s.id) not in done)
            pending = moves.filtered(
                lambda m, s=step: done.get((m.id, s.id), "sent") not in DONE_STATES
            )
            name = step.with_env(env).name
            if never:
                missing.append(
                    env._(
                        "“%(level)s” was never done for %(invoices)s.",
                        level=name,
                        invoices=", ".join(never.mapped("name")),
                    )
                )
            if pending:
                missing.append(
                    env._(
                        "“%(level)s” is not done yet for %(invoices)s (held for "
                        "a setting, or the letter is still to print).",
                        level=name,
                        invoices=", ".join(pending.mapped("name")),
                    )
                )
        # 3. disputes
        if open_invoices is not None:
            disputed = open_invoices.filtered("dunning_dispute")
        else:
            disputed = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "=", partner.id),
                        ("company_id", "=", company.id),
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("payment_state", "in", ("not_paid", "partial")),
                        ("dunning_dispute", "=", True),
                    ]
                )
            )
        if disputed:
            missing.append(
                env._(
                    "Dispute open on %(invoices)s: settle it first.",
                    invoices=", ".join(disputed.mapped("name")),
                )
            )
        # 4. promises and payment plans
        customer = [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        if prefetched:
            promises = prefetched["promises"].get(
                key, self.env["credit.dunning.promise"]
            )
        else:
            promises = (
                self.env["credit.dunning.promise"]
                .sudo()
                .search(customer + [("state", "=", "open")])
            )
        if promises:
            missing.append(
                env._(
                    "Payment promise running: %s.",
                    ", ".join(promises.with_env(env).mapped("display_name")),
                )
            )
        if prefetched:
            plans = prefetched["plans"].get(key, self.env["credit.dunning.plan"])
        else:
            plans = (
                self.env["credit.dunning.plan"]
                .sudo()
                .search(customer + [("state", "in", ("requested", "accepted"))])
            )
        if plans:
            states = dict(plans._fields["state"]._description_selection(env))
            missing.append(
                env._(
                    "Payment plan %(state)s: %(amount)s.",
                    state=states[plans[0].state].lower(),
                    amount=money(sum(plans.mapped("amount_total"))),
                )
            )
        ready = not missing
        lines = list(missing)
        if ready:
            lines.append(
                env._(
                    "Ready for legal action: every earlier level was done, no "
                    "dispute, no promise nor payment plan running."
                )
            )
        lines.append(
            env._(
                "Estimated recoverable amount: %(amount)s (overdue %(principal)s, "
                "interest %(interest)s, indemnities %(indemnity)s); threshold "
                "%(threshold)s.",
                amount=money(recoverable),
                principal=money(figures["principal"]),
                interest=money(figures["interest"]),
                indemnity=money(figures["indemnity"]),
                threshold=money(threshold),
            )
        )
        return {
            "ready": ready,
            "threshold": threshold,
            "recoverable": recoverable,
            "missing": missing,
            "lines": lines,
        }

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

POS_USER = "point_of_sale.group_pos_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Exposure: the Point of Sale's sales on account not yet posted
    # ------------------------------------------------------------------
    @api.model
    def _credit_exposure_extra_parts(self, company, partner_filter):
        """The Customer Account payments of the Point of Sale orders whose
        sale is not posted yet: neither invoiced (an invoice is posted at
        once and counts as a receivable) nor in the accounting entry of a
        closed session (closing moves the orders to 'done' and books their
        Customer Account payments as receivables of the customer). Counted
        from the moment the order is paid at the till, in company currency."""
        self.env["pos.order"].flush_model(
            ["state", "account_move", "company_id", "partner_id", "currency_rate"]
        )
        self.env["pos.payment"].flush_model(
            ["amount", "pos_order_id", "payment_method_id"]
        )
        self.env["pos.payment.method"].flush_model(["journal_id"])
        return super()._credit_exposure_extra_parts(company, partner_filter) + [
            SQL(
                """
                SELECT p.commercial_partner_id,
                       0,
                       0,
                       SUM(pp.amount / COALESCE(NULLIF(po.currency_rate, 0), 1)),
                       0, 0, NULL::date
                  FROM pos_payment pp
                  JOIN pos_payment_method ppm ON ppm.id = pp.payment_method_id
                  JOIN pos_order po ON po.id = pp.pos_order_id
                  JOIN res_partner p ON p.id = po.partner_id
                 WHERE ppm.journal_id IS NULL
                   AND po.state = 'paid'
                   AND po.account_move IS NULL
                   AND po.company_id = %(company)s
                   AND %(partner_filter)s
                 GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                partner_filter=partner_filter,
            )
        ]

    # ------------------------------------------------------------------
    # The check of the till
    # ------------------------------------------------------------------
    @api.model
    def _credit_pos_config(self, config_id):
        """The Point of Sale ``config_id`` if the caller works at it (a user of
        its Point of Sale group), else AccessError. Checked before any sudo."""
        if not isinstance(config_id, int) or isinstance(config_id, bool):
            raise UserError(self.env._("Unknown Point of Sale."))
        config = self.env["pos.config"].browse(config_id)
        if not self.env.su and not self.env.user.has_group(POS_USER):
            raise AccessError(
                self.env._(
                    "Only a Point of Sale user may check a customer's credit at "
                    "the till."
                )
            )
        config = config.exists()
        if not config:
            raise UserError(self.env._("Unknown Point of Sale."))
        config.check_access("read")
        if (
            not self.env.su
            and config.group_pos_user_id not in self.env.user.all_group_ids
        ):
            raise AccessError(
                self.env._(
                    "Only a Point of Sale user may check a customer's credit at "
                    "the till."
                )
            )
        return config

    @api.model
    def _credit_pos_is_manager(self, config):
        return self.env.su or (
            config.group_pos_manager_id in self.env.user.all_group_ids
        )

    def credit_pos_check(self, amount, config_id):
        """May this customer buy ``amount`` (in the currency of the Point of
        Sale ``config_id``) on Customer Account? For the till, called by a
        user of that Point of Sale.

        Returns {ok, problems: [message], message, figures: {...},
        can_approve}: the problems in the wording of a quotation's refusal,
        and the figures (exposure, this sale, limit, overdue) formatted in the
        company currency. One exposure query."""
        config = self._credit_pos_config(config_id)
        if len(self) != 1:
            raise UserError(self.env._("Check one customer at a time."))
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise UserError(self.env._("The amount must be a number."))
        self.check_access("read")
        partner = self.sudo().commercial_partner_id.with_company(config.company_id)
        result = partner._credit_pos_problems(
            float(amount), config.currency_id, config.company_id
        )
        result["can_approve"] = self._credit_pos_is_manager(config)
        result["message"] = self._credit_pos_message(partner, result["problems"])
        return result

    def _credit_pos_message(self, partner, problems):
        if not problems:
            return ""
        return (
            self.env._(
                "Credit control refuses the Customer Account for %s:",
                partner.display_name,
            )
            + "\n"
            + "\n".join(f"- {problem}" for problem in problems)
            + "\n"
            + self.env._(
                "Take another payment method, or ask a Point of Sale manager to "
                "approve it with a reason."
            )
        )

    def _credit_pos_problems(self, amount, currency, company, exclude_amount=0.0):
        """The rules of a quotation's confirmation, for a sale of ``amount``
        (in ``currency``) on Customer Account by the commercial entity
        ``self`` (sudo, in ``company``): hold, cash-only, overdue tolerance,
        limit. ``exclude_amount`` (company currency) is already in the
        exposure and is taken out (an order being recorded)."""
        self.ensure_one()
        company_currency = company.currency_id
        amount_company = currency._convert(
            amount, company_currency, company, fields.Date.context_today(self)
        )
        data = self._credit_exposure_parts(self, company).get(self.id, {})
        problems = []
        if self.credit_hold:
            problems.append(self._credit_hold_problem())
        if self.cash_only:
            problems.append(
                self.env._(
                    "cash-only customer: the Customer Account (pay later) is not "
                    "an immediate payment"
                )
            )
        overdue = self._credit_overdue_problem(data, company)
        if overdue:
            problems.append(overdue)
        limit = self.credit_limit if company.account_use_credit_limit else 0.0
        current = (
            data.get("receivable", 0.0)
            + data.get("uninvoiced", 0.0)
            + data.get("draft", 0.0)
            - exclude_amount
        )
        exposure = current + amount_company
        over_limit = self._credit_limit_problem(exposure, limit, company)
        if over_limit:
            problems.append(over_limit)

        def money(value):
            return format_amount(self.env, value, company_currency)

        return {
            "ok": not problems,
            "problems": problems,
            "figures": {
                "currency": company_currency.name,
                "exposure": company_currency.round(current),
                "amount": company_currency.round(amount_company),
                "exposure_after": company_currency.round(exposure),
                "limit": limit,
                "remaining": company_currency.round(limit - exposure)
                if limit
                else None,
                "overdue": company_currency.round(data.get("overdue", 0.0)),
                "exposure_display": money(current),
                "amount_display": money(amount_company),
                "limit_display": money(limit) if limit else "",
                "overdue_display": money(data.get("overdue", 0.0)),
            },
        }

    def credit_pos_approve(self, amount, config_id, reason):
        """A Point of Sale manager of ``config_id`` lets this customer buy
        ``amount`` on Customer Account despite credit control, with a reason.
        Only says yes or raises: the approval is recorded on the order when it
        reaches the server (which checks the approver again)."""
        config = self._credit_pos_config(config_id)
        if not self._credit_pos_is_manager(config):
            raise AccessError(
                self.env._(
                    "Only a Point of Sale manager may approve a sale on Customer "
                    "Account that credit control refuses."
                )
            )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("The approval needs a reason."))
        result = self.credit_pos_check(amount, config_id)
        return {
            "approved": True,
            "reason": reason.strip(),
            "problems": result["problems"],
            "user": self.env.user.name,
        }

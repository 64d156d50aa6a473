"""The customer's account page: reached from the link of a reminder without
a login (a token per customer and company, see credit.dunning.access), or
from /my for a portal user of the customer. Everything it shows or does is
taken from the link's customer and company, never from the request."""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.account_payment.controllers.portal import PortalAccount

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024


class CreditAccountPortal(PortalAccount):
    def _credit_message(self, code):
        """What the page says after an action (a code in the URL, never
        free text)."""
        return {
            "paid": request.env._("Thank you: your payment is being processed."),
            "promised": request.env._(
                "Thank you: your payment promise is recorded. We will not remind "
                "you of these invoices until that date."
            ),
            "disputed": request.env._(
                "Your dispute is recorded: the invoice is out of our reminders "
                "until we answer you. Follow the conversation on the invoice's page."
            ),
            "plan": request.env._(
                "Your payment plan request is sent: we will answer it shortly."
            ),
        }.get(code, False)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "credit_open_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id
            values["credit_open_count"] = (
                request.env["account.move"]
                .sudo()
                .search_count(
                    [
                        ("commercial_partner_id", "=", partner.id),
                        ("company_id", "=", request.env.company.id),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                        ("state", "=", "posted"),
                        ("payment_state", "in", ("not_paid", "partial")),
                    ]
                )
                if not request.env.user._is_public()
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _credit_access(self, token):
        """The valid link of ``token`` in the customer's language, else an
        empty recordset."""
        access = request.env["credit.dunning.access"]._from_token(token)
        if access:
            lang = access.partner_id.lang
            installed = dict(request.env["res.lang"].get_installed())
            if lang in installed:
                request.update_context(lang=lang)
                access = access.with_context(lang=lang)
        return access

    def _credit_invalid(self):
        return request.render(
            "credit_dunning.portal_credit_invalid",
            {"no_breadcrumbs": True},
            status=404,
        )

    def _credit_page(self, access, message=None, error=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(access._page_values())
        policy = access._policy()
        today = values["today"]
        company = access.company_id
        values.update(
            {
                # "Pay" only where a payment provider can take the money; the
                # company's bank account for a transfer in any case
                "online_payment": bool(
                    values["overdue_ids"] or values["amount_due"] > 0
                )
                and bool(
                    request.env["payment.provider"]
                    .sudo()
                    ._get_compatible_providers(
                        company.id,
                        access.partner_id.id,
                        values["amount_due"],
                        currency_id=values["currency"].id,
                    )
                ),
                "bank_account": company.partner_id.sudo().bank_ids[:1],
                "page_name": "credit_account",
                "no_breadcrumbs": True,
                "token": access.sudo().token,
                "message": self._credit_message(message),
                "error": error,
                "dispute_reasons": request.env["account.move"]
                ._fields["dunning_dispute_reason_code"]
                ._description_selection(request.env),
                "promise_refusal": access._promise_refusal(),
                "promise_max_date": today.fromordinal(
                    today.toordinal() + (policy.portal_promise_max_days or 30)
                ),
                "plan_max_instalments": policy.portal_plan_max_instalments or 6,
                "open_plan": request.env["credit.dunning.plan"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", access.partner_id.id),
                        ("company_id", "=", access.company_id.id),
                        ("state", "in", ("requested", "accepted")),
                    ],
                    limit=1,
                ),
            }
        )
        return request.render(
            "credit_dunning.portal_credit_account", values, status=status
        )

    def _credit_form_ids(self, name="invoice_ids"):
        return request.httprequest.form.getlist(
            name
        ) or request.httprequest.args.getlist(name)

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route("/my/credit", type="http", auth="user", website=True, sitemap=False)
    def credit_my_account(self, **kw):
        """From /my: the account page of the logged-in portal user's company.
        Only a portal user (a customer) has one: an internal user asking for
        it gets a 404, never a link made for the company's own partner."""
        # the rights check: a portal user, for its own commercial entity only
        if not request.env.user._is_portal():
            raise NotFound()
        partner = request.env.user.partner_id.commercial_partner_id
        access = (
            request.env["credit.dunning.access"]
            .sudo()
            ._ensure_for(partner, request.env.company, renew=False)[partner.id]
        )
        return request.redirect(f"/my/credit/{access.token}")

    @http.route("/c/<string:token>", type="http", auth="public", sitemap=False)
    def credit_short_link(self, token, **kw):
        return request.redirect(f"/my/credit/{token}")

    @http.route(
        "/my/credit/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def credit_account_page(self, token, message=None, **kw):
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        access._log("opened")
        return self._credit_page(access, message=message)

    @http.route(
        "/my/credit/<string:token>/statement",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def credit_statement(self, token, **kw):
        # the rights check of a public route: a valid, unrevoked token; the
        # statement rendered below (sudo) is of that token's customer only
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        content, fmt = (
            request.env["ir.actions.report"]
            .sudo()
            .with_context(lang=access.env.lang)
            ._render_qweb_pdf(
                "credit_dunning.action_report_credit_statement", access.ids
            )
        )
        access._log("statement")
        # what it is, whose, which day, in the customer's language
        name = access.with_context(lang=access.partner_id.lang).env._(
            "Statement of account - %(partner)s - %(date)s.%(ext)s",
            partner=access.partner_id.name,
            date=fields.Date.context_today(access),
            ext="pdf" if fmt == "pdf" else "html",
        )
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8",
                ),
                ("Content-Disposition", content_disposition(name)),
            ],
        )

    @http.route(
        "/my/credit/<string:token>/promise",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def credit_promise(self, token, date=None, **kw):
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        try:
            access._portal_promise(date, self._credit_form_ids())
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            return self._credit_page(access, error=str(error.args[0]), status=400)
        return request.redirect(f"/my/credit/{token}?message=promised")

    @http.route(
        "/my/credit/<string:token>/dispute",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def credit_dispute(self, token, invoice_id=None, reason=None, message=None, **kw):
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        upload = request.httprequest.files.get("attachment")
        attachment = None
        try:
            if upload and upload.filename:
                content = upload.read(MAX_ATTACHMENT_SIZE + 1)
                if len(content) > MAX_ATTACHMENT_SIZE:
                    raise UserError(
                        request.env._("The attached file is too large (10 MB at most).")
                    )
                attachment = (upload.filename, content)
            access._portal_dispute(invoice_id, reason, message, attachment=attachment)
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            return self._credit_page(access, error=str(error.args[0]), status=400)
        return request.redirect(f"/my/credit/{token}?message=disputed")

    @http.route(
        "/my/credit/<string:token>/plan",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def credit_plan(self, token, instalments=None, first_date=None, **kw):
        """Step 1: the even instalments, for the customer to adjust. The
        token is the rights check: only that customer's invoices are read."""
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        try:
            moves, amount, lines = access._plan_proposal(
                self._credit_form_ids(), instalments, first_date
            )
        except (UserError, ValidationError) as error:
            return self._credit_page(access, error=str(error.args[0]), status=400)
        values = self._prepare_portal_layout_values()
        values.update(access._page_values())
        values.update(
            {
                "page_name": "credit_account",
                "no_breadcrumbs": True,
                "token": access.token,  # the link's record, read as superuser
                "plan_moves": moves,
                "plan_amount": amount,
                "plan_lines": lines,
            }
        )
        return request.render("credit_dunning.portal_credit_plan", values)

    @http.route(
        "/my/credit/<string:token>/plan/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def credit_plan_confirm(self, token, note=None, **kw):
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        form = request.httprequest.form
        lines = [
            {"date": day, "amount": amount}
            for day, amount in zip(
                form.getlist("line_date"), form.getlist("line_amount"), strict=False
            )
        ]
        try:
            access._portal_request_plan(self._credit_form_ids(), lines, note=note)
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            return self._credit_page(access, error=str(error.args[0]), status=400)
        return request.redirect(f"/my/credit/{token}?message=plan")

    @http.route(
        "/my/credit/<string:token>/pay",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def credit_pay(self, token, **kw):
        """The payment form of Odoo for the chosen invoices (all overdue ones
        when none is chosen)."""
        access = self._credit_access(token)
        if not access:
            return self._credit_invalid()
        page = access._page_values()
        ids = self._credit_form_ids() or list(page["overdue_ids"])
        try:
            moves = access._customer_moves(ids)
            currency = moves.currency_id
            if len(currency) != 1:
                raise UserError(
                    request.env._(
                        "Pay the invoices of one currency at a time: choose them "
                        "on your account page."
                    )
                )
        except UserError as error:
            return self._credit_page(access, error=str(error.args[0]), status=400)
        amount = sum(moves.mapped("amount_residual"))
        reference = (
            moves.name
            if len(moves) == 1
            else access.company_id.get_next_batch_payment_communication()
        )
        values = self._prepare_portal_layout_values()
        values.update(
            self._get_common_page_view_values(
                invoices_data={
                    "partner": access.partner_id,
                    "company": access.company_id,
                    "total_amount": amount,
                    "currency": currency,
                    "amount_residual": amount,
                    "payment_reference": reference,
                    "landing_route": f"/my/credit/{token}?message=paid",
                    "transaction_route": f"/my/credit/{token}/transaction/"
                    + "-".join(str(move_id) for move_id in moves.ids),
                },
                access_token=token,
            )
        )
        values.update(
            {
                "page_name": "credit_account",
                "no_breadcrumbs": True,
                "token": token,
                "access": access,
                "customer": access.partner_id,
                "company": access.company_id,
                "today": page["today"],
                "pay_moves": moves,
                "amount": amount,
                "reference": reference,
            }
        )
        return request.render("credit_dunning.portal_credit_pay", values)

    @http.route(
        "/my/credit/<string:token>/transaction/<string:move_ids>",
        type="jsonrpc",
        auth="public",
    )
    def credit_transaction(
        self, token, move_ids, access_token=None, payment_reference=None, **kwargs
    ):
        """Create the transaction of the chosen invoices of the link's
        customer: the amount and the reference are theirs, never the
        browser's (Odoo's payment form sends back the reference it showed)."""
        access = request.env["credit.dunning.access"]._from_token(token)
        if not access:
            raise NotFound()
        moves = access._customer_moves((move_ids or "").split("-"))
        if len(moves.currency_id) != 1:
            raise ValidationError(
                request.env._("Pay the invoices of one currency at a time.")
            )
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = sum(moves.mapped("amount_residual"))
        reference = (
            moves.name
            if len(moves) == 1
            else access.company_id.get_next_batch_payment_communication()
        )
        return self._process_transaction(
            access.partner_id.id,
            moves.currency_id.id,
            moves.ids,
            reference,
            **kwargs,
        )

"""How each customer pays, per company, and the segment it puts it in.

Recomputed nightly for every customer of a company, a batch of customers at a
time, in a fixed number of queries per batch (figures, current rows, upsert,
segments, notes): no loop over invoices.

An invoice is *paid* on the date of the last reconciliation that paid it
(``account_partial_reconcile.max_date``, as Odoo's aged reports); it counts
when that date falls in the window. Days late = max(0, paid - due date).
"""

import json

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, split_every

from ..credit_control.rights import check_credit_rights
from ..dunning_levels.chatter import insert_notes, staff_env
from .segment_rules import decide_segment

BATCH_SIZE = 1000  # customers per batch
HISTORY_MONTHS = 12


class CreditPaymentBehaviour(models.Model):
    _name = "credit.payment.behaviour"
    _description = "Customer Payment Behaviour"
    _order = "company_id, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Computed On", readonly=True)
    window_months = fields.Integer(string="Window (months)", readonly=True)
    segment_id = fields.Many2one("credit.segment", readonly=True, index=True)
    segment_date = fields.Date(string="In Segment Since", readonly=True)
    invoices_paid = fields.Integer(readonly=True)
    on_time_rate = fields.Float(
        string="Paid on Time (%)",
        readonly=True,
        help="Share of the invoices paid in the window that were paid by their "
        "due date.",
    )
    avg_days_late = fields.Float(
        string="Average Days Late",
        readonly=True,
        help="Days late of the invoices paid in the window (0 when on time), "
        "weighted by their amount.",
    )
    days_late_stddev = fields.Float(
        string="Spread of Days Late",
        readonly=True,
        help="Standard deviation of the days late of the invoices paid in the window.",
    )
    avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        readonly=True,
        help="From the invoice date to the payment, invoices paid in the window.",
    )
    largest_overdue = fields.Monetary(
        readonly=True,
        help="The largest amount still owed on an invoice past due, today.",
    )
    broken_promises = fields.Integer(readonly=True)
    disputes = fields.Integer(
        readonly=True,
        help="Invoices disputed in the window, and those still disputed.",
    )
    hold_reached = fields.Boolean(
        string="Hold Level Reached",
        readonly=True,
        help="A reminder at or beyond a credit-hold level went out in the window.",
    )
    monthly_history = fields.Json(
        readonly=True,
        help="Twelve months: average days late (weighted) and amount paid.",
    )
    segment_credit_limit = fields.Monetary(
        string="Credit Limit Given by the Segment",
        readonly=True,
        help="The limit the segment gave the customer, who had none of its own; "
        "0 when its limit is its own.",
    )

    _partner_company_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id)",
        "A customer has one payment behaviour per company.",
    )

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_compute(self):
        """Every company, in its own savepoint: one company's trouble leaves
        the others computed."""
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            with self.env.cr.savepoint():
                self.sudo().with_company(company)._compute_for_company(company)

    @api.model
    def _compute_for_company(self, company, today=None, partner_ids=None):
        """Figures and segments of the customers of ``company`` (default: every
        customer invoiced there, and those computed before). Returns the
        number of customers computed."""
        today = today or fields.Date.context_today(self)
        self._flush_sources()
        if partner_ids is None:
            partner_ids = self._customers_of(company)
        segments = self.env["credit.segment"]._segments_by_code(company)
        count = 0
        for batch in split_every(BATCH_SIZE, sorted(set(partner_ids))):
            figures = self._read_figures(company, list(batch), today)
            self._apply(company, figures, segments, today)
            count += len(batch)
        return count

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _flush_sources(self):
        for model, fnames in (
            (
                "account.move",
                [
                    "commercial_partner_id",
                    "company_id",
                    "move_type",
                    "state",
                    "payment_state",
                    "invoice_date",
                    "invoice_date_due",
                    "amount_total_signed",
                    "amount_residual_signed",
                    "dunning_dispute",
                    "dunning_dispute_date",
                ],
            ),
            ("account.move.line", ["move_id", "display_type"]),
            ("account.partial.reconcile", ["debit_move_id", "max_date"]),
            ("credit.dunning.promise", ["partner_id", "state", "date", "grace_days"]),
            ("credit.dunning.communication", ["partner_id", "date", "level_id"]),
            ("credit.dunning.communication.line", ["communication_id", "level_id"]),
            ("credit.dunning.level", ["offset_days", "set_credit_hold", "policy_id"]),
            (
                "res.partner",
                ["commercial_partner_id", "credit_limit", "credit_segment_id"],
            ),
            (self._name, ["partner_id", "company_id", "segment_id"]),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _customers_of(self, company):
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT m.commercial_partner_id
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.commercial_partner_id IS NOT NULL
                 UNION
                SELECT b.partner_id FROM credit_payment_behaviour b
                 WHERE b.company_id = %(company)s
                """,
                company=company.id,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _window(self, company, today):
        """(first excluded day of the window, first day of the history)."""
        months = company.credit_behaviour_window_months or 12
        start = today - relativedelta(months=months)
        history_start = (today - relativedelta(months=HISTORY_MONTHS - 1)).replace(
            day=1
        )
        return start, history_start

    @api.model
    def _read_figures(self, company, partner_ids, today):
        """{partner id: figures} in one query for ``partner_ids``."""
        start, history_start = self._window(company, today)
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH paid_inv AS (
                    SELECT m.id, m.commercial_partner_id AS partner_id,
                           m.invoice_date, m.invoice_date_due AS due,
                           m.amount_total_signed AS amount,
                           MAX(apr.max_date) AS paid
                      FROM account_move m
                      JOIN account_move_line l
                        ON l.move_id = m.id AND l.display_type = 'payment_term'
                      JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                     WHERE m.company_id = %(company)s
                       AND m.move_type = 'out_invoice'
                       AND m.state = 'posted'
                       AND m.payment_state IN ('paid', 'in_payment')
                       AND m.commercial_partner_id = ANY(%(partners)s)
                     GROUP BY m.id
                ),
                paid AS (
                    SELECT partner_id, amount, paid, due,
                           GREATEST(paid - due, 0) AS late,
                           paid - invoice_date AS took
                      FROM paid_inv
                     WHERE paid > LEAST(%(start)s::date, %(history_start)s::date - 1)
                       AND paid <= %(today)s
                ),
                figures AS (
                    SELECT partner_id,
                           COUNT(*) AS invoices_paid,
                           COUNT(*) FILTER (WHERE paid <= due) AS on_time,
                           SUM(late * amount) / NULLIF(SUM(amount), 0) AS avg_late,
                           STDDEV_POP(late) AS stddev_late,
                           AVG(took) AS avg_took
                      FROM paid
                     WHERE paid > %(start)s
                     GROUP BY partner_id
                ),
                months AS (
                    SELECT partner_id, month,
                           SUM(late * amount) / NULLIF(SUM(amount), 0) AS avg_late,
                           SUM(amount) AS amount, COUNT(*) AS n
                      FROM (SELECT p.*, to_char(paid, 'YYYY-MM') AS month
                              FROM paid p WHERE paid >= %(history_start)s) p
                     GROUP BY partner_id, month
                ),
                history AS (
                    SELECT partner_id,
                           jsonb_object_agg(month, jsonb_build_array(avg_late, amount, n))
                               AS months
                      FROM months GROUP BY partner_id
                ),
                overdue AS (
                    SELECT m.commercial_partner_id AS partner_id,
                           MAX(m.amount_residual_signed) AS largest
                      FROM account_move m
                     WHERE m.company_id = %(company)s
                       AND m.move_type = 'out_invoice'
                       AND m.state = 'posted'
                       AND m.payment_state IN ('not_paid', 'partial')
                       AND m.invoice_date_due < %(today)s
                       AND m.commercial_partner_id = ANY(%(partners)s)
                     GROUP BY m.commercial_partner_id
                ),
                promises AS (
                    SELECT pr.partner_id, COUNT(*) AS broken
                      FROM credit_dunning_promise pr
                     WHERE pr.company_id = %(company)s
                       AND pr.state = 'broken'
                       AND pr.partner_id = ANY(%(partners)s)
                       AND pr.date + pr.grace_days > %(start)s
                       AND pr.date + pr.grace_days <= %(today)s
                     GROUP BY pr.partner_id
                ),
                disputes AS (
                    SELECT m.commercial_partner_id AS partner_id,
                           COUNT(*) AS disputes
                      FROM account_move m
                     WHERE m.company_id = %(company)s
                       AND m.move_type = 'out_invoice'
                       AND m.commercial_partner_id = ANY(%(partners)s)
                       AND (m.dunning_dispute
                            OR (m.dunning_dispute_date > %(start)s
                                AND m.dunning_dispute_date <= %(today)s))
                     GROUP BY m.commercial_partner_id
                ),
                holds AS (
                    SELECT DISTINCT c.partner_id
                      FROM credit_dunning_communication c
                      JOIN credit_dunning_communication_line cl
                        ON cl.communication_id = c.id
                      JOIN credit_dunning_level lv
                        ON lv.id = COALESCE(cl.level_id, c.level_id)
                     WHERE c.company_id = %(company)s
                       AND c.partner_id = ANY(%(partners)s)
                       AND c.date > %(start)s AND c.date <= %(today)s
                       AND c.state NOT IN ('failed', 'attention')
                       AND lv.offset_days >= (
                           SELECT MIN(h.offset_days) FROM credit_dunning_level h
                            WHERE h.policy_id = lv.policy_id AND h.set_credit_hold
                       )
                )
                SELECT pp.partner_id,
                       COALESCE(f.invoices_paid, 0) AS invoices_paid,
                       COALESCE(f.on_time, 0) AS on_time,
                       COALESCE(f.avg_late, 0) AS avg_late,
                       COALESCE(f.stddev_late, 0) AS stddev_late,
                       COALESCE(f.avg_took, 0) AS avg_took,
                       h.months,
                       COALESCE(o.largest, 0) AS largest,
                       COALESCE(pr.broken, 0) AS broken,
                       COALESCE(d.disputes, 0) AS disputes,
                       hd.partner_id IS NOT NULL AS hold
                  FROM unnest(%(partners)s::int[]) AS pp(partner_id)
                  LEFT JOIN figures f ON f.partner_id = pp.partner_id
                  LEFT JOIN history h ON h.partner_id = pp.partner_id
                  LEFT JOIN overdue o ON o.partner_id = pp.partner_id
                  LEFT JOIN promises pr ON pr.partner_id = pp.partner_id
                  LEFT JOIN disputes d ON d.partner_id = pp.partner_id
                  LEFT JOIN holds hd ON hd.partner_id = pp.partner_id
                """,
                company=company.id,
                partners=partner_ids,
                start=start,
                history_start=history_start,
                today=today,
            )
        )
        month_keys = [
            (history_start + relativedelta(months=i)).strftime("%Y-%m")
            for i in range(HISTORY_MONTHS)
        ]
        figures = {}
        for row in rows:
            months = row["months"] or {}
            paid = row["invoices_paid"]
            figures[row["partner_id"]] = {
                "invoices_paid": paid,
                "on_time_rate": round(100.0 * row["on_time"] / paid, 2)
                if paid
                else 0.0,
                "avg_days_late": round(float(row["avg_late"]), 2),
                "days_late_stddev": round(float(row["stddev_late"]), 2),
                "avg_days_to_pay": round(float(row["avg_took"]), 2),
                "largest_overdue": float(row["largest"]),
                "broken_promises": row["broken"],
                "disputes": row["disputes"],
                "hold_reached": row["hold"],
                "monthly_history": [
                    {
                        "month": key,
                        "days_late": round(float(months[key][0] or 0), 2)
                        if key in months
                        else 0.0,
                        "amount": float(months[key][1]) if key in months else 0.0,
                        "count": months[key][2] if key in months else 0,
                    }
                    for key in month_keys
                ],
            }
        return figures

    # ------------------------------------------------------------------
    # Segments
    # ------------------------------------------------------------------
    @api.model
    def _segment_thresholds(self, company):
        return {
            "min_paid": company.credit_segment_min_paid,
            "late_days": company.credit_segment_late_days,
            "variable_days": company.credit_segment_variable_days,
        }

    @api.model
    def _segment_code(self, company, figures):
        """The segment code of a customer's figures (segment_rules)."""
        return decide_segment(figures, self._segment_thresholds(company))

    @api.model
    def _segment_reason(self, staff, company, code, figures):
        """Why a customer is in segment ``code``, with its figures, in the
        staff language."""
        window = company.credit_behaviour_window_months
        if code == "at_risk":
            parts = []
            if figures["broken_promises"]:
                parts.append(
                    staff._(
                        "%(count)s broken promise(s) in %(months)s months",
                        count=figures["broken_promises"],
                        months=window,
                    )
                )
            if figures["hold_reached"]:
                parts.append(
                    staff._(
                        "a reminder at the credit-hold level in %(months)s months",
                        months=window,
                    )
                )
            return ", ".join(parts)
        if code == "new":
            return staff._(
                "%(count)s invoice(s) paid in %(months)s months, fewer than the "
                "%(minimum)s needed to judge",
                count=figures["invoices_paid"],
                months=window,
                minimum=company.credit_segment_min_paid,
            )
        summary = staff._(
            "%(count)s invoice(s) paid in %(months)s months, %(rate)s %% on time, "
            "%(late)s days late on average (weighted by amount), spread "
            "%(spread)s days",
            count=figures["invoices_paid"],
            months=window,
            rate=f"{figures['on_time_rate']:.0f}",
            late=f"{figures['avg_days_late']:.1f}",
            spread=f"{figures['days_late_stddev']:.1f}",
        )
        if code == "late":
            return staff._(
                "%(summary)s; late beyond %(threshold)s days",
                summary=summary,
                threshold=f"{company.credit_segment_late_days:g}",
            )
        if code == "variable":
            return staff._(
                "%(summary)s; spread beyond %(threshold)s days and beyond half "
                "the average",
                summary=summary,
                threshold=f"{company.credit_segment_variable_days:g}",
            )
        return summary

    @api.model
    def _apply(self, company, figures, segments, today):
        """Store the figures, move the customers between segments, give or
        take the segments' default credit limits, and say so in the chatter.
        A fixed number of queries for the whole batch."""
        partner_ids = list(figures)
        current = {
            row[0]: row[1:]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT b.partner_id, b.segment_id, b.segment_date,
                           b.segment_credit_limit
                      FROM credit_payment_behaviour b
                     WHERE b.company_id = %(company)s
                       AND b.partner_id = ANY(%(partners)s)
                    """,
                    company=company.id,
                    partners=partner_ids,
                )
            )
        }
        own_limits = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT id, (credit_limit->>%(company_key)s)::numeric
                      FROM res_partner
                     WHERE id = ANY(%(partners)s)
                       AND credit_limit ? %(company_key)s
                    """,
                    company_key=str(company.id),
                    partners=partner_ids,
                )
            )
        )
        Partner = self.env["res.partner"].sudo().with_company(company)
        fallback = (
            Partner._fields["credit_limit"].get_company_dependent_fallback(Partner)
            or 0.0
        )
        currency = company.currency_id
        staff = staff_env(self.env, company)
        moved = {}  # partner id: its new segment id (None: none)
        limits = {}  # partner id: its new limit (the fallback: none of its own)
        notes = {}
        rows = []
        for partner_id, values in figures.items():
            code = self._segment_code(company, values)
            segment = segments.get(code)
            old_segment_id, segment_date, given = current.get(
                partner_id, (None, None, 0.0)
            )
            given = float(given or 0.0)
            new_segment_id = segment.id if segment else None
            if new_segment_id != old_segment_id:
                segment_date = today
                moved[partner_id] = new_segment_id
            lines = []
            if (
                new_segment_id != old_segment_id
                and segment
                and (old_segment_id or code != "new")
            ):
                old = self.env["credit.segment"].browse(old_segment_id)
                lines.append(
                    staff._(
                        "Payment segment: %(old)s → %(new)s (%(company)s). %(why)s.",
                        old=old.with_env(staff).name if old else "-",
                        new=segment.with_env(staff).name,
                        company=company.name,
                        why=self._segment_reason(staff, company, code, values),
                    )
                )
            # the segment's limit, for a customer without a limit of its own
            own = own_limits.get(partner_id)
            own = None if own is None else float(own)
            hand_set = (
                own is not None
                and currency.compare_amounts(own, fallback) != 0
                and not (given and currency.compare_amounts(own, given) == 0)
            )
            wanted = segment.default_credit_limit if segment else 0.0
            if hand_set:
                given = 0.0
            elif wanted and (own is None or currency.compare_amounts(own, wanted) != 0):
                limits[partner_id] = wanted
                lines.append(
                    staff._(
                        "Credit limit of the segment %(segment)s: %(limit)s.",
                        segment=segment.with_env(staff).name,
                        limit=format_amount(staff, wanted, currency),
                    )
                )
                given = wanted
            elif not wanted and given:
                limits[partner_id] = fallback
                lines.append(
                    staff._(
                        "The credit limit the segment had given (%(limit)s) is "
                        "withdrawn: no default limit in the segment %(segment)s.",
                        limit=format_amount(staff, given, currency),
                        segment=segment.with_env(staff).name if segment else "-",
                    )
                )
                given = 0.0
            if lines:
                notes[partner_id] = Markup("<br/>").join(escape(x) for x in lines)
            rows.append((partner_id, new_segment_id, segment_date, given, values))
        self._upsert(company, rows, today)
        self._write_partners(company, moved, limits)
        insert_notes(self.env, "res.partner", notes)

    @api.model
    def _write_partners(self, company, moved, limits):
        """The segments ({partner id: segment id or None}) and credit limits
        ({partner id: limit}) of the customers in ``company``, in one UPDATE
        for the batch. The values go into the company-dependent columns as
        the ORM stores them (a value equal to the company's fallback is no
        value of its own); the ORM's write would sync each customer to its
        contacts one at a time for two fields that are not synced."""
        if not moved and not limits:
            return
        Partner = self.env["res.partner"]
        Partner.flush_model(["credit_segment_id", "credit_limit"])
        Default = self.env["ir.default"]
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET credit_segment_id = CASE WHEN r.move THEN (
                           SELECT jsonb_object_agg(d.key, d.value)
                             FROM jsonb_each(
                                  COALESCE(p.credit_segment_id, '{}'::jsonb)
                                  || jsonb_build_object(%(company)s, r.segment_id)) d
                             JOIN jsonb_each(%(segment_fallbacks)s::jsonb) f
                               ON d.key = f.key AND d.value != f.value
                           ) ELSE p.credit_segment_id END,
                       credit_limit = CASE WHEN r.credit_limit IS NOT NULL THEN (
                           SELECT jsonb_object_agg(d.key, d.value)
                             FROM jsonb_each(
                                  COALESCE(p.credit_limit, '{}'::jsonb)
                                  || jsonb_build_object(%(company)s, r.credit_limit)) d
                             JOIN jsonb_each(%(limit_fallbacks)s::jsonb) f
                               ON d.key = f.key AND d.value != f.value
                           ) ELSE p.credit_limit END,
                       write_uid = %(uid)s,
                       write_date = NOW() AT TIME ZONE 'UTC'
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(
                       partner_id int, move bool, segment_id int, credit_limit float8)
                 WHERE p.id = r.partner_id
                """,
                company=str(company.id),
                segment_fallbacks=Default._get_field_column_fallbacks(
                    "res.partner", "credit_segment_id"
                ),
                limit_fallbacks=Default._get_field_column_fallbacks(
                    "res.partner", "credit_limit"
                ),
                uid=self.env.uid,
                rows=json.dumps(
                    [
                        {
                            "partner_id": partner_id,
                            "move": partner_id in moved,
                            "segment_id": moved.get(partner_id),
                            "credit_limit": limits.get(partner_id),
                        }
                        for partner_id in moved.keys() | limits.keys()
                    ]
                ),
            )
        )
        Partner.invalidate_model(
            ["credit_segment_id", "credit_limit", "write_uid", "write_date"]
        )

    @api.model
    def _upsert(self, company, rows, today):
        if not rows:
            return
        self.env.execute_query(
            SQL(
                """
                INSERT INTO credit_payment_behaviour AS b
                       (partner_id, company_id, date, window_months, segment_id,
                        segment_date, segment_credit_limit, invoices_paid,
                        on_time_rate, avg_days_late, days_late_stddev,
                        avg_days_to_pay, largest_overdue, broken_promises,
                        disputes, hold_reached, monthly_history,
                        create_uid, create_date, write_uid, write_date)
                SELECT r.partner_id, %(company)s, %(today)s, %(window)s,
                       r.segment_id, r.segment_date, r.given, r.invoices_paid,
                       r.on_time_rate, r.avg_days_late, r.days_late_stddev,
                       r.avg_days_to_pay, r.largest_overdue, r.broken_promises,
                       r.disputes, r.hold_reached, r.monthly_history,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC'
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(
                       partner_id int, segment_id int, segment_date date,
                       given numeric, invoices_paid int, on_time_rate float8,
                       avg_days_late float8, days_late_stddev float8,
                       avg_days_to_pay float8, largest_overdue numeric,
                       broken_promises int, disputes int, hold_reached bool,
                       monthly_history jsonb)
                ON CONFLICT (partner_id, company_id) DO UPDATE SET
                       date = EXCLUDED.date,
                       window_months = EXCLUDED.window_months,
                       segment_id = EXCLUDED.segment_id,
                       segment_date = EXCLUDED.segment_date,
                       segment_credit_limit = EXCLUDED.segment_credit_limit,
                       invoices_paid = EXCLUDED.invoices_paid,
                       on_time_rate = EXCLUDED.on_time_rate,
                       avg_days_late = EXCLUDED.avg_days_late,
                       days_late_stddev = EXCLUDED.days_late_stddev,
                       avg_days_to_pay = EXCLUDED.avg_days_to_pay,
                       largest_overdue = EXCLUDED.largest_overdue,
                       broken_promises = EXCLUDED.broken_promises,
                       disputes = EXCLUDED.disputes,
                       hold_reached = EXCLUDED.hold_reached,
                       monthly_history = EXCLUDED.monthly_history,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                """,
                company=company.id,
                today=today,
                window=company.credit_behaviour_window_months,
                uid=self.env.uid,
                rows=json.dumps(
                    [
                        {
                            "partner_id": partner_id,
                            "segment_id": segment_id,
                            "segment_date": fields.Date.to_string(segment_date),
                            "given": given,
                            **values,
                        }
                        for partner_id, segment_id, segment_date, given, values in rows
                    ]
                ),
            )
        )
        self.invalidate_model()

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    @api.model
    def _check_read_rights(self):
        check_credit_rights(
            self.env,
            self.env._(
                "Only credit control users may see or recompute the payment "
                "behaviour of customers."
            ),
        )

"""The credit exposure of customers, in one grouped query for any number of
them: open receivables (read through the open-items index of
account_move_line.py, whose predicate _credit_open_receivable_sql matches),
confirmed sales not yet invoiced, draft customer invoices."""

from odoo import fields
from odoo.tools import SQL


def limit_sql(env, company):
    """SQL of the credit limit of the partner ``p`` in ``company``."""
    partners = env["res.partner"].with_company(company)
    fallback = partners._fields["credit_limit"].get_company_dependent_fallback(partners)
    return SQL(
        "COALESCE((p.credit_limit->>%s)::numeric, %s)",
        str(company.id),
        fallback or 0.0,
    )


def exposure_query(env, company, commercial_ids=None):
    """SQL of the exposure of commercial entities in company currency.

    One row per commercial entity: receivable, uninvoiced, draft,
    overdue, overdue_count, oldest_due. Restricted to ``commercial_ids``
    when given, else over every customer of the company.
    """
    today = fields.Date.context_today(env["res.partner"])
    for model, fnames in (
        (
            "account.move.line",
            [
                "account_id",
                "amount_residual",
                "company_id",
                "parent_state",
                "partner_id",
                "reconciled",
                "date_maturity",
                "move_id",
            ],
        ),
        ("account.account", ["account_type"]),
        (
            "account.move",
            [
                "state",
                "move_type",
                "company_id",
                "commercial_partner_id",
                "amount_total_signed",
            ],
        ),
        (
            "sale.order",
            ["state", "company_id", "partner_invoice_id", "currency_rate"],
        ),
        (
            "sale.order.line",
            [
                "untaxed_amount_to_invoice",
                "price_subtotal",
                "price_total",
                "order_id",
            ],
        ),
        ("res.partner", ["commercial_partner_id"]),
    ):
        env[model].flush_model(fnames)
    if commercial_ids is None:
        partner_filter = line_partner_filter = SQL("TRUE")
    else:
        ids = list(commercial_ids) or [0]
        partner_filter = SQL("p.commercial_partner_id = ANY(%s)", ids)
        # through the contacts' ids, so that the open-items index is used
        line_partner_filter = SQL(
            "aml.partner_id = ANY(ARRAY(SELECT id FROM res_partner "
            "WHERE commercial_partner_id = ANY(%s)))",
            ids,
        )
    # rows the channels add (the Point of Sale's sales on account not yet
    # posted): same columns as the parts below
    extra = env["res.partner"]._credit_exposure_extra_parts(company, partner_filter)
    extra_parts = SQL("").join(SQL(" UNION ALL %s", part) for part in extra)
    return SQL(
        """
        SELECT parts.commercial_id,
               SUM(parts.receivable) AS receivable,
               SUM(parts.uninvoiced) AS uninvoiced,
               SUM(parts.draft) AS draft,
               SUM(parts.overdue) AS overdue,
               SUM(parts.overdue_count) AS overdue_count,
               MIN(parts.oldest_due) AS oldest_due
          FROM (
            SELECT p.commercial_partner_id AS commercial_id,
                   SUM(aml.amount_residual) AS receivable,
                   0 AS uninvoiced,
                   0 AS draft,
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.date_maturity < %(today)s
                         AND aml.amount_residual > 0
                   ) AS overdue,
                   COUNT(DISTINCT aml.move_id) FILTER (
                       WHERE aml.date_maturity < %(today)s
                         AND aml.amount_residual > 0
                   ) AS overdue_count,
                   MIN(aml.date_maturity) FILTER (
                       WHERE aml.date_maturity < %(today)s
                         AND aml.amount_residual > 0
                   ) AS oldest_due
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE %(open_receivable)s
               AND aml.company_id = %(company)s
               AND %(line_partner_filter)s
             GROUP BY p.commercial_partner_id
            UNION ALL
            SELECT p.commercial_partner_id,
                   0,
                   SUM(
                       sol.untaxed_amount_to_invoice
                       * CASE WHEN sol.price_subtotal <> 0
                              THEN sol.price_total / sol.price_subtotal
                              ELSE 1 END
                       / COALESCE(NULLIF(so.currency_rate, 0), 1)
                   ),
                   0, 0, 0, NULL::date
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner p ON p.id = so.partner_invoice_id
             WHERE so.company_id = %(company)s
               AND so.state = 'sale'
               AND sol.untaxed_amount_to_invoice > 0
               AND %(partner_filter)s
             GROUP BY p.commercial_partner_id
            UNION ALL
            SELECT p.commercial_partner_id,
                   0, 0,
                   SUM(am.amount_total_signed),
                   0, 0, NULL::date
              FROM account_move am
              JOIN res_partner p ON p.id = am.commercial_partner_id
             WHERE am.company_id = %(company)s
               AND am.state = 'draft'
               AND am.move_type IN ('out_invoice', 'out_refund')
               AND %(partner_filter)s
             GROUP BY p.commercial_partner_id
            %(extra_parts)s
          ) parts
         GROUP BY parts.commercial_id
        """,
        today=today,
        company=company.id,
        partner_filter=partner_filter,
        extra_parts=extra_parts,
        line_partner_filter=line_partner_filter,
        open_receivable=env["account.move.line"]._credit_open_receivable_sql("aml"),
    )


def exposure_parts(env, commercial_ids, company):
    """{commercial entity id: parts} in company currency, in one query."""
    if not commercial_ids:
        return {}
    rows = env.execute_query_dict(exposure_query(env, company, commercial_ids))
    return {
        row["commercial_id"]: {
            "receivable": float(row["receivable"] or 0.0),
            "uninvoiced": float(row["uninvoiced"] or 0.0),
            "draft": float(row["draft"] or 0.0),
            "overdue": float(row["overdue"] or 0.0),
            "overdue_count": int(row["overdue_count"] or 0),
            "oldest_due": row["oldest_due"],
        }
        for row in rows
    }

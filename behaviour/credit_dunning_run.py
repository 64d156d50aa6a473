from odoo import api, models
from odoo.tools import SQL


class CreditDunningRun(models.Model):
    _inherit = "credit.dunning.run"

    @api.model
    def _cron_run(self, *args, **kwargs):
        """After the runs, every customer's payment behaviour and segment
        (used by the next runs). A failure here never costs a reminder: the
        runs are done and committed by then."""
        result = super()._cron_run(*args, **kwargs)
        self._cron_step(
            1,
            self.env["credit.payment.behaviour"].sudo()._cron_compute,
            "The nightly payment behaviour computation failed.",
        )
        return result

    @api.model
    def _plan_fallback_policies(self, company, partner_ids):
        """The policy of the customer's segment, for those without their own."""
        fallback = super()._plan_fallback_policies(company, partner_ids)
        missing = [pid for pid in partner_ids if pid not in fallback]
        if not missing:
            return fallback
        self.env["res.partner"].flush_model(["credit_segment_id"])
        self.env["credit.segment"].flush_model(["policy_id"])
        self.env["credit.dunning.policy"].flush_model(["active"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, s.policy_id
                  FROM res_partner p
                  JOIN credit_segment s
                    ON s.id = (p.credit_segment_id->>%(company_key)s)::int
                  JOIN credit_dunning_policy pol ON pol.id = s.policy_id
                 WHERE p.id = ANY(%(partners)s)
                   AND s.active AND pol.active
                """,
                company_key=str(company.id),
                partners=missing,
            )
        )
        return {**fallback, **dict(rows)}

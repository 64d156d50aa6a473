from odoo import models


class CreditDunningCommunication(models.Model):
    _inherit = "credit.dunning.communication"

    def _credit_missing_settings(self):
        """A formal notice prints, and a penalty level charges, the interest
        of each late invoice: the reference rate of every half-year the
        delay spans must be known."""
        result = super()._credit_missing_settings()
        needy = self.filtered(
            lambda c: c.level_id.formal_notice or c.level_id.charge_penalties
        )
        for company, comms in needy.grouped("company_id").items():
            rate_for = company._credit_penalty_rate_for()
            indemnity = company._credit_recovery_indemnity_company_currency(
                min(comms.mapped("date"))
            )
            for comm in comms:
                late = comm.line_ids.move_id.filtered(
                    lambda m: m.move_type == "out_invoice"
                )
                for move in late:
                    error = move._credit_late_penalties(comm.date, rate_for, indemnity)[
                        "error"
                    ]
                    if error and error not in result.get(comm.id, []):
                        result.setdefault(comm.id, []).append(error)
        return result

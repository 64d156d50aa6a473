from odoo import api, models


class CreditDunningRun(models.Model):
    _inherit = "credit.dunning.run"

    @api.model
    def _cron_run(self, *args, **kwargs):
        """After the runs, the day's receivables snapshot of every company
        (the trend of the cockpit). A failure here never costs a reminder:
        the runs are done and committed by then."""
        result = super()._cron_run(*args, **kwargs)
        self._cron_step(
            2,
            self.env["credit.dunning.snapshot"].sudo()._take_snapshots,
            "The daily receivables snapshot failed.",
        )
        return result

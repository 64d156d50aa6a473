from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        """A reminder email that the mail server accepted makes its reminder
        sent (it was queued); one it refused makes its reminder failed: it is
        listed first and its collector gets a task."""
        reminders = self.filtered(
            lambda m: m.model == "credit.dunning.communication" and m.res_id
        )
        if reminders and not failure_type:
            # accepted by the mail server: the reminder is sent, no longer queued
            self.env["credit.dunning.communication"].sudo().browse(
                reminders.mapped("res_id")
            ).exists()._credit_email_sent()
        if failure_type:
            if reminders:
                self.env["credit.dunning.communication"].sudo().browse(
                    reminders.mapped("res_id")
                ).exists()._credit_email_failed(
                    failure_reason
                    or dict(
                        self._fields["failure_type"]._description_selection(self.env)
                    ).get(failure_type, failure_type)
                )
        return super()._postprocess_sent_message(
            success_pids,
            success_emails,
            failure_reason=failure_reason,
            failure_type=failure_type,
        )

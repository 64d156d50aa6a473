"""A reminder email that does not reach the customer is never left "Sent"."""

import smtplib
from unittest.mock import MagicMock, patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_credit_dunning_run import DunningCommon


@tagged("post_install", "-at_install")
class TestEmailDelivery(DunningCommon):
    def _first_reminder(self):
        self._invoice(self.customer, 1000, "2026-02-01", due="2026-03-01")
        comm = self._run("2026-03-06").communication_ids
        # in the outgoing queue, not yet accepted by the mail server
        self.assertEqual(comm.state, "queued")
        return comm

    def test_queued_then_sent_when_the_mail_server_takes_it(self):
        comm = self._first_reminder()
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", comm.mail_message_id.id)]
        )
        self.assertEqual(mail.state, "outgoing")
        server = type(self.env["ir.mail_server"])
        with (
            patch.object(server, "_disable_send", return_value=False),
            patch.object(server, "_connect__", return_value=MagicMock()),
            patch.object(server, "send_email", return_value="<accepted@smtp>"),
        ):
            mail.send()  # the mail server accepts it
        self.assertEqual(mail.state, "sent")
        self.assertEqual(comm.state, "sent")

    def test_smtp_refusal_fails_the_reminder_then_letter(self):
        comm = self._first_reminder()
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", comm.mail_message_id.id)]
        )
        with patch.object(
            type(self.env["ir.mail_server"]),
            "_connect__",
            side_effect=smtplib.SMTPConnectError(421, b"Service not available"),
        ):
            mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertEqual(comm.state, "failed")
        self.assertIn("Email not delivered to dupont@example.com", comm.error)
        todo = self._activities(comm, "mail.mail_activity_data_todo")
        self.assertEqual(todo.user_id, self.collector)
        self.assertIn("not delivered", todo.summary)
        # listed first
        self.assertEqual(self.env["credit.dunning.communication"].search([])[:1], comm)
        # nobody but credit users acts on it
        with self.assertRaises(AccessError):
            comm.with_user(self.salesman).action_send_as_letter()
        # the collector prints it instead: Letters to Print
        comm.with_user(self.collector).action_send_as_letter()
        self.assertEqual(comm.state, "to_print")
        self.assertIn("letter", comm.channels)
        self.assertTrue(comm.attachment_id)

    def test_bounce_fails_the_reminder_and_retry_sends_again(self):
        comm = self._first_reminder()
        comm._message_receive_bounce("dupont@example.com", self.customer)
        self.assertEqual(comm.state, "failed")
        self.assertIn("bounced", comm.error)
        self.customer.email = "compta@dupont.example.com"
        comm.with_user(self.collector).action_retry_email()
        self.assertEqual(comm.state, "queued")
        self.assertFalse(comm.error)
        self.assertEqual(len(self._mails_to(self.customer)), 2)

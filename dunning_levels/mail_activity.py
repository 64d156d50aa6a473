from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    credit_dunning_reescalated = fields.Boolean(copy=False, readonly=True)

    @api.model
    def _credit_dunning_reescalate(self, company, today):
        """Escalations still open at their deadline go to the sales manager
        (the sales team leader), else the credit manager, once."""
        activity_type = self.env.ref(
            "credit_dunning.mail_activity_type_dunning_escalation"
        )
        late = self.sudo().search(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "credit.dunning.communication"),
                ("date_deadline", "<", today),
                ("credit_dunning_reescalated", "=", False),
            ]
        )
        comms = (
            self.env["credit.dunning.communication"]
            .sudo()
            .browse(late.mapped("res_id"))
        )
        comm_by_id = {c.id: c for c in comms.exists() if c.company_id == company}
        done = self.browse()
        for activity in late:
            comm = comm_by_id.get(activity.res_id)
            if not comm:
                continue
            manager = activity.user_id.sale_team_id.user_id
            if not manager or manager == activity.user_id:
                manager = comm.partner_id._credit_dunning_collector(company)
            new = comm._create_tasks(
                [
                    comm._task(
                        "credit_dunning.mail_activity_type_dunning_escalation",
                        manager,
                        # in the manager's language
                        lambda env, activity=activity, comm=comm: env._(
                            "Escalation not handled by %(user)s: %(partner)s is still late paying",
                            user=activity.user_id.name,
                            partner=comm.partner_id.name,
                        ),
                        lambda env, comm=comm: comm.with_env(env)._escalation_brief(),
                        deadline=today,
                        notify=True,
                    )
                ]
            )
            done |= activity | new
        done.write({"credit_dunning_reescalated": True})
        return done

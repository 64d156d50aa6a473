from odoo import api, models

# the context key under which a dunning batch tells Odoo's composer how many
# emails it queues at once (see credit.dunning.communication._send_emails)
MAIL_BATCH_CONTEXT = "credit_dunning_mail_batch_size"
# at most what a dunning batch queues (200 customers a batch), whoever sets
# the key in a context
MAIL_BATCH_MAX = 200


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def get_param(self, key, default=False):
        """Odoo's composer queues a mass mailing 50 emails at a time
        (``mail.batch_size``), emptying every cache after each group: a
        dunning batch (200 customers at most) goes in one group, unless an
        administrator has set ``mail.batch_size``, which is honoured."""
        value = super().get_param(key, default)
        if key == "mail.batch_size" and not value:
            size = self.env.context.get(MAIL_BATCH_CONTEXT)
            if isinstance(size, int) and 0 < size:
                return str(min(size, MAIL_BATCH_MAX))
        return value

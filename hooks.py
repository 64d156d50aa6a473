from odoo.tools import SQL


def uninstall_hook(env):
    """Before Odoo deletes the records the addon shipped (the default ladder's
    levels among them), delete the reminders: their levels are ``restrict``
    (a user never deletes a level that was used), which would refuse the
    deletion and leave the levels to be read from dropped tables. The
    reminders' tables are dropped with the addon anyway."""
    env.flush_all()
    env.execute_query(SQL("DELETE FROM credit_dunning_communication_line"))
    env.execute_query(SQL("DELETE FROM credit_dunning_communication"))
    env.invalidate_all()

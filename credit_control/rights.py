"""Rights before superuser: every public entry point of credit control asks
here whether the caller is a credit control user (or manager) before it does
anything as superuser. Code already running as superuser passes."""

from odoo.exceptions import AccessError

USER = "credit_dunning.group_credit_control_user"
MANAGER = "credit_dunning.group_credit_control_manager"


def has_credit_rights(env, manager=False):
    return env.su or env.user.has_group(MANAGER if manager else USER)


def check_credit_rights(env, message, manager=False):
    """Raise AccessError(message) unless the caller has the rights."""
    if not has_credit_rights(env, manager=manager):
        raise AccessError(message)

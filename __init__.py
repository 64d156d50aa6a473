from . import (
    agency,
    behaviour,
    controllers,
    credit_control,
    dunning_levels,
    insolvency,
    late_payment,
    legal,
    payday,
    reporting,
    reviews,
    wizards,
)
from .hooks import uninstall_hook

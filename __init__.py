from . import (
    controllers,
    credit_control,
    dunning_levels,
    late_payment,
    reporting,
    wizards,
)

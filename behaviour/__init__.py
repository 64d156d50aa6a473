# the models this package extends are defined first (credit.dunning.run,
# the partner's dunning policy)
from .. import credit_control, dunning_levels  # noqa: F401
from . import (
    account_move,
    credit_dunning_run,
    credit_payment_behaviour,
    credit_segment,
    ir_module_module,
    res_company,
    res_config_settings,
    res_partner,
)

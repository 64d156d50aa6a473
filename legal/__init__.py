from . import (
    credit_dunning_communication,
    credit_dunning_policy,
    res_company,
    res_config_settings,
    res_partner,
)

from . import (
    credit_dunning_communication,
    credit_dunning_policy,
    res_partner,
)

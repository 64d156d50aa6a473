# the models this package extends are defined first (credit.dunning.run, the
# partner's credit fields)
from .. import credit_control, dunning_levels  # noqa: F401
from . import (
    account_move,
    credit_agency_placement,
    credit_dunning_run,
    res_partner,
    wizards,
)

# the models this package extends are defined first (credit.dunning.run, the
# partner's credit fields, the claim figures of the legal package)
from .. import agency, credit_control, dunning_levels, legal  # noqa: F401
from . import (
    account_payment_term,
    credit_agency_place,
    credit_dunning_run,
    credit_insolvency_proceeding,
    fetch,
    res_company,
    res_config_settings,
    res_partner,
    wizards,
)

from . import (
    credit_aged_receivable,
    credit_cockpit,
    credit_dunning_run,
    credit_dunning_snapshot,
    res_partner,
)

from . import (
    account_move,
    account_move_line,
    credit_dunning_communication,
    credit_dunning_communication_line,
    credit_dunning_level,
    credit_dunning_policy,
    credit_dunning_promise,
    credit_dunning_run,
    credit_reference_rate,
    mail_activity,
    res_partner,
)

from . import (
    account_move,
    credit_dunning_communication,
    credit_dunning_communication_line,
    credit_dunning_level,
    credit_dunning_policy,
    credit_dunning_promise,
    credit_dunning_run,
    mail_activity,
    mail_mail,
    res_company,
    res_partner,
)

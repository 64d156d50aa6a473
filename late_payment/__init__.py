from . import (
    account_move,
    account_move_line,
    account_payment_term,
    credit_dunning_communication,
    credit_payment_delay_table,
    credit_reference_rate,
    res_company,
    res_config_settings,
)

from . import (
    account_move,
    account_move_line,
    account_payment_term,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)

from . import (
    account_move,
    account_move_line,
    payment_transaction,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)

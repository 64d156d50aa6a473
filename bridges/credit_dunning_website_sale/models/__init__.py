from . import (
    payment_provider,
    payment_transaction,
    res_company,
    res_config_settings,
    sale_order,
)

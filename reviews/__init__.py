from . import (
    credit_review,
    credit_review_reference,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)

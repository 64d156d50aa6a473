from . import (
    test_credit_dunning_run,
    test_credit_limit_import,
    test_install,
    test_penalties,
    test_portal,
    test_res_partner,
    test_sale_order,
)

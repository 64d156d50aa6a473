from . import credit_portal, payment_delay_table, portal, report

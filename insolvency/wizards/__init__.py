from . import (
    credit_insolvency_declare,
    credit_insolvency_dividend,
    credit_insolvency_import,
)

from . import (
    credit_dunning_dispute_wizard,
    credit_dunning_preview,
    credit_dunning_promise_wizard,
    credit_dunning_send_now,
    credit_flag_wizard,
    credit_limit_import_wizard,
    credit_override_wizard,
)

from . import (
    credit_agency_export,
    credit_agency_place,
    credit_agency_recovery,
    credit_agency_status_import,
    credit_agency_writeoff,
)

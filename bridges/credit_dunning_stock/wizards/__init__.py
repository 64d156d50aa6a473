from . import credit_delivery_approve_wizard

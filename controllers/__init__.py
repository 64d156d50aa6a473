from . import credit_portal, portal, report

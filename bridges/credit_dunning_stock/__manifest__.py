{
    "name": "Credit Control & Dunning: Deliveries",
    "summary": "Deliveries of customers on credit hold, or cash-only and unpaid, "
    "wait for the credit to be cleared",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "credit_dunning developers",
    "website": "https://github.com/credit-dunning/credit_dunning",
    "depends": ["credit_dunning", "sale_stock"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/credit_delivery_approve_wizard_views.xml",
        "views/stock_picking_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["credit_dunning_stock/static/tests/tours/**/*"],
    },
    "auto_install": True,
}

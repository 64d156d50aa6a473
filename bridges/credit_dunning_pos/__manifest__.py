{
    "name": "Credit Control & Dunning: Point of Sale",
    "summary": "The Customer Account of the Point of Sale follows credit control: "
    "refused for customers on hold, cash-only or over their limit, flagged "
    "when it reaches the server anyway",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "credit_dunning developers",
    "website": "https://github.com/credit-dunning/credit_dunning",
    "depends": ["credit_dunning_stock", "point_of_sale"],
    "data": [
        "views/pos_order_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": ["credit_dunning_pos/static/src/**/*"],
        "web.assets_tests": ["credit_dunning_pos/static/tests/tours/**/*"],
    },
    "auto_install": True,
}

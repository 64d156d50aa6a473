{
    "name": "Credit Control & Dunning: Webshop",
    "summary": "The webshop refuses the payment of an order credit control would "
    "not confirm, and offers cash-only customers immediate payments only",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "credit_dunning developers",
    "website": "https://github.com/credit-dunning/credit_dunning",
    "depends": ["credit_dunning", "website_sale"],
    "data": [
        "views/res_config_settings_views.xml",
        "views/website_sale_templates.xml",
    ],
    "assets": {
        "web.assets_tests": ["credit_dunning_website_sale/static/tests/tours/**/*"],
    },
    "auto_install": True,
}

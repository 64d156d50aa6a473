import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

// A buyer of a customer on credit hold opens its cart and goes to the
// payment page. The data is made by tests/test_tours.py.
registry.category("web_tour.tours").add("credit_webshop_hold", {
    steps: () => [
        {
            content: "The cart says the account is on hold, with the overdue amount",
            trigger:
                '#shop_cart .alert-danger:contains("Your account is on hold"):contains("1,250.00")',
        },
        {
            content: "A button leads to the account page",
            trigger: '#shop_cart .alert-danger a[href="/my/credit"]:contains("Settle my account")',
        },
        {
            content: "No express payment button on the cart (the demo provider offers one)",
            trigger:
                'body:not(:has(form[name="o_payment_express_checkout_form"] button)) #shop_cart',
        },
        tourUtils.goToCheckout(),
        {
            content: "The payment page says it too",
            trigger:
                '.alert-danger:contains("Your account is on hold"):contains("1,250.00"):contains("Settle my account")',
        },
        {
            content: "No payment form, no Pay button",
            trigger:
                'body:not(:has(button[name="o_payment_submit_button"])):not(:has(#o_payment_form))',
        },
    ],
});

// A buyer of a cash-only customer: only the card is offered, and paid.
registry.category("web_tour.tours").add("credit_webshop_cash_only", {
    steps: () => [
        {
            content: "No alert on the cart",
            trigger: '#shop_cart:not(:has(.alert-danger)) h6:contains("Annual Maintenance")',
        },
        {
            content: "The demo provider's express payment button is there for this buyer",
            trigger: 'form[name="o_payment_express_checkout_form"] button',
        },
        tourUtils.goToCheckout(),
        {
            content: "Wire transfer is not offered",
            trigger:
                '#o_payment_form:not(:has([data-payment-method-code="wire_transfer"]))',
        },
        ...tourUtils.payWithDemo(),
    ],
});

import { registry } from "@web/core/registry";

// A customer on credit hold, without an account, opens the link of its
// reminder email and pays the overdue invoice with the demo payment provider.
// The data is made and checked by tests/test_tours_portal.py.
registry.category("web_tour.tours").add("credit_portal_pay", {
    steps: () => [
        {
            content: "The account page of the customer opens from the link",
            trigger: "h1:contains(Your account with)",
        },
        {
            content: "Pay what is overdue",
            trigger: "a.o_credit_pay_overdue",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The amount to pay is the overdue invoice's",
            trigger: ".o_credit_pay_total:contains(600.00)",
        },
        {
            content: "Enter the demo card number",
            trigger: "input[name=customer_input]",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name=o_payment_submit_button]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the account page, the payment is acknowledged",
            trigger: ".o_credit_portal_message:contains(your payment is being processed)",
            timeout: 30000,
        },
        {
            content: "and nothing is overdue any more",
            trigger: "body:not(:has(a.o_credit_pay_overdue))",
        },
    ],
});

import { registry } from "@web/core/registry";

// A customer without an account opens the link of its reminder email,
// disputes the overdue invoice, promises a date for the other one, then
// proposes to pay it in two instalments. The data is made and checked by
// tests/test_tours_portal.py.
const inDays = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

registry.category("web_tour.tours").add("credit_portal_account", {
    steps: () => [
        {
            content: "The account page of the customer opens from the link",
            trigger: "h1:contains(Your account with)",
        },
        {
            content: "No online payment is set up: no Pay button, the bank details instead",
            trigger:
                "body:not(:has(.o_credit_pay_overdue)) .o_credit_bank_transfer:contains(Pay by bank transfer):contains(IBAN)",
        },
        {
            content: "Buttons and checkboxes are big enough for a finger",
            trigger: ".o_credit_open_items input[name=invoice_ids]",
            run() {
                const small = [...document.querySelectorAll(".o_credit_portal .btn")]
                    .filter((button) => button.offsetParent)
                    .filter((button) => button.getBoundingClientRect().height < 44);
                if (small.length) {
                    throw new Error(`buttons under 44 px: ${small.map((b) => b.textContent.trim())}`);
                }
                const box = document
                    .querySelector(".o_credit_open_items input[name=invoice_ids]")
                    .getBoundingClientRect();
                if (box.width < 24 || box.height < 24) {
                    throw new Error(`checkbox of ${box.width}x${box.height} px`);
                }
            },
        },
        {
            content: "Choose the reason of the dispute",
            trigger: "select[name=reason]",
            run: "select price",
        },
        {
            content: "Say what is wrong",
            trigger: "textarea[name=message]",
            run: "edit The unit price is not the one of our quotation.",
        },
        {
            content: "Send the dispute",
            trigger: "button:contains(Send the dispute)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute is recorded",
            trigger: ".o_credit_portal_message:contains(Your dispute is recorded)",
        },
        {
            content: "The disputed invoice is listed as such",
            trigger: ".o_credit_open_items .badge:contains(Disputed)",
        },
        {
            content: "Tick the invoice not yet due",
            trigger: ".o_credit_open_items input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Choose the payment date",
            trigger: "input[name=date]",
            // a native date input: set its ISO value as the date picker does
            run() {
                const input = document.querySelector("input[name=date]");
                input.value = inDays(10);
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Promise to pay",
            trigger: "button:contains(I promise to pay on this date)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The promise is recorded",
            trigger: ".o_credit_portal_message:contains(your payment promise is recorded)",
        },
        {
            content: "The invoice shows the promised date",
            trigger: ".o_credit_open_items .badge:contains(Promised for)",
        },
        {
            content: "Tick the invoice again for a payment plan",
            trigger: ".o_credit_open_items input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Propose instalments",
            trigger: "button:contains(Propose instalments)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The even instalments are proposed",
            trigger: "h2:contains(Your payment plan proposal)",
        },
        {
            content: "Send the request",
            trigger: "button:contains(Send my payment plan request)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is sent",
            trigger: ".o_credit_portal_message:contains(Your payment plan request is sent)",
        },
        {
            content: "The page says the plan is being studied",
            trigger: ".o_credit_open_plan:contains(is being studied)",
        },
        {
            content: "and offers neither a promise nor another plan meanwhile",
            trigger: ".o_credit_plan_pending:contains(takes the place of a promise)",
        },
        {
            content: "No promise or plan button is left on the page",
            trigger: "body:not(:has(.o_credit_promise)):not(:has(.o_credit_plan))",
        },
    ],
});

// An expired or revoked link: a polite page, nothing else.
registry.category("web_tour.tours").add("credit_portal_invalid_link", {
    steps: () => [
        {
            content: "A polite page",
            trigger: "h1:contains(This link is no longer valid)",
        },
        {
            content: "and no account",
            trigger: "body:not(:has(.o_credit_open_items))",
        },
    ],
});

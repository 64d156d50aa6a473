import { registry } from "@web/core/registry";

// A salesperson tries to confirm a quotation that credit control refuses.
// The data (a customer over its credit limit, the quotation) is made by
// tests/test_tours.py, which checks the records afterwards.
registry.category("web_tour.tours").add("credit_dunning_order_refused", {
    steps: () => [
        {
            content: "The quotation already says why it cannot be confirmed",
            trigger:
                '.o_form_view .alert-danger:contains("Credit control will refuse this order"):contains("would exceed the limit")',
        },
        {
            content: "Confirm it anyway",
            trigger: '.o_form_statusbar button:contains("Confirm")',
            run: "click",
        },
        {
            content: "The refusal names the rule and the figures",
            trigger:
                '.modal .o_error_dialog:contains("Credit control refuses the confirmation"):contains("would exceed the limit of"):contains("1,000.00"):contains("500.00")',
        },
        {
            content: "Close the refusal",
            trigger: '.modal .o_error_dialog button:contains("Close")',
            run: "click",
        },
        {
            content: "The refusal is closed, the quotation is still a quotation",
            trigger:
                'body:not(:has(.modal)) .o_statusbar_status:has(.o_arrow_button_current:contains("Quotation"))',
        },
        {
            content: "At once, without reloading the page, the quotation shows it is blocked",
            trigger: '.o_form_view .ribbon:contains("Credit Blocked")',
        },
        {
            content: "and the task it gives the salesperson",
            trigger: '.o-mail-Activity:contains("Order blocked by credit control")',
        },
        {
            content: "The chatter says why",
            trigger:
                '.o-mail-Message:contains("Confirmation refused by credit control"):contains("would exceed the limit")',
        },
    ],
});

import { registry } from "@web/core/registry";

// A credit manager approves a quotation that credit control refused, then
// confirms it. The data is made by tests/test_tours.py, which checks the
// records afterwards.
registry.category("web_tour.tours").add("credit_dunning_order_approved", {
    steps: () => [
        {
            content: "The quotation is blocked by credit control",
            trigger: '.o_form_view .ribbon:contains("Credit Blocked")',
        },
        {
            content: "Open the approval",
            trigger: '.o_form_statusbar button:contains("Approve Credit")',
            run: "click",
        },
        {
            content: "The dialog says which order it approves and why it was refused",
            trigger:
                '.modal:has(.modal-title:contains("Approve Credit for")) .o_form_view:contains("would exceed the limit")',
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Long-standing customer, the CFO agreed",
        },
        {
            content: "Approve",
            trigger: '.modal button:contains("Approve This Order")',
            run: "click",
        },
        {
            content: "The quotation shows who approved it and why",
            trigger:
                'body:not(:has(.modal)) .o_form_view .alert-info:contains("Credit approved by"):contains("Long-standing customer, the CFO agreed")',
        },
        {
            content: "It is no longer shown as blocked",
            trigger:
                '.o_form_view:not(:has(.ribbon:contains("Credit Blocked"))) .ribbon:contains("Credit Approved")',
        },
        {
            content: "The approval is in the chatter",
            trigger: '.o-mail-Message:contains("Credit approved by Marc Credit Manager")',
        },
        {
            content: "Confirm the order",
            trigger: '.o_form_statusbar button:contains("Confirm")',
            run: "click",
        },
        {
            content: "The order is confirmed and carries no credit ribbon",
            trigger:
                '.o_form_view:not(:has(.ribbon)) .o_statusbar_status .o_arrow_button_current:contains("Sales Order")',
        },
    ],
});

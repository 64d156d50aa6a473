import { registry } from "@web/core/registry";

// A warehouse user opens a delivery of a customer put on credit hold after
// the order was confirmed, and tries to validate it. The data is made by
// tests/test_tours.py, which checks the records afterwards.
registry.category("web_tour.tours").add("credit_delivery_refused", {
    steps: () => [
        {
            content: "The delivery wears the credit hold ribbon",
            trigger: '.o_form_view .ribbon:contains("Credit hold")',
        },
        {
            content: "It says why it waits",
            trigger:
                '.o_form_view .alert-danger:contains("Waiting for credit"):contains("customer on credit hold since"):contains("insurer withdrew cover")',
        },
        {
            content: "Validate it anyway",
            trigger: '.o_form_statusbar button[name="button_validate"]:visible',
            run: "click",
        },
        {
            content: "The refusal names the rule, the figures and who may approve",
            trigger:
                '.modal .o_error_dialog:contains("Credit control refuses to validate the delivery"):contains("insurer withdrew cover"):contains("1,250.00"):contains("credit manager")',
        },
        {
            content: "Close the refusal",
            trigger: '.modal .o_error_dialog button:contains("Close")',
            run: "click",
        },
        {
            content: "The delivery is not done",
            trigger:
                'body:not(:has(.modal)) .o_statusbar_status:not(:has(.o_arrow_button_current:contains("Done")))',
        },
    ],
});

// A credit manager finds the delivery under Credit Control and lets it go.
registry.category("web_tour.tours").add("credit_delivery_approved", {
    steps: () => [
        {
            content: "The delivery waits in Deliveries Waiting for Credit",
            trigger: '.o_data_row:contains("Dupont Industrie") .o_data_cell',
            run: "click",
        },
        {
            content: "Approve this delivery",
            trigger: '.o_form_statusbar button:contains("Approve Delivery")',
            run: "click",
        },
        {
            content: "The dialog says why it waits",
            trigger: '.modal [name="problems"]:contains("customer on credit hold since")',
        },
        {
            content: "Give the reason",
            trigger: '.modal [name="reason"] textarea',
            run: "edit Goods already packed; the customer pays on Friday",
        },
        {
            content: "Approve",
            trigger: '.modal-footer button:contains("Approve This Delivery")',
            run: "click",
        },
        {
            content: "The ribbon is gone, the approval is shown",
            trigger:
                'body:not(:has(.modal)) .o_form_view:not(:has(.ribbon)) .alert-info:contains("Delivery approved by"):contains("Goods already packed")',
        },
    ],
});

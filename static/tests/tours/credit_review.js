import { registry } from "@web/core/registry";

// A credit manager records a credit review of a customer from its Credit
// Control tab, with a supplier's reference, and approves it: the decided
// limit goes on the customer. tests/test_tours_review.py makes the data and
// checks the records afterwards.
registry.category("web_tour.tours").add("credit_review_approve", {
    steps: () => [
        {
            content: "Open the Credit Control tab of the customer",
            trigger: '.o_notebook .nav-link:contains("Credit Control")',
            run: "click",
        },
        {
            content: "Open its credit reviews",
            trigger: ".o_notebook button[name=action_open_credit_reviews]",
            run: "click",
        },
        {
            content: "Record a new review",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The review is about the customer",
            trigger: '.o_form_view .o_field_widget[name=partner_id] input:value("Dupont Industrie")',
        },
        {
            content: "The decided credit limit",
            trigger: ".o_form_view .o_field_widget[name=credit_limit] input",
            run: "edit 25000",
        },
        {
            content: "A deposit on each order",
            trigger: ".o_form_view .o_field_widget[name=deposit_percent] input",
            run: "edit 20",
        },
        {
            content: "Add a reference",
            trigger: ".o_field_widget[name=reference_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The supplier asked",
            trigger: ".o_field_widget[name=reference_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Acier Lyonnais",
        },
        {
            content: "Who answered",
            trigger: ".o_field_widget[name=reference_ids] .o_data_row .o_field_widget[name=contact] input",
            run: "edit Mme Roux",
        },
        {
            content: "Save the review",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: '.o_form_statusbar button[name=action_approve]:contains("Approve")',
            run: "click",
        },
        {
            content: "The decision goes on the customer",
            trigger: '.modal-footer button:contains("Ok")',
            run: "click",
        },
        {
            content: "The review is approved",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Approved")',
        },
        {
            content: "The chatter says what changed",
            trigger: '.o-mail-Message:contains("approved by"):contains("25,000.00")',
        },
        {
            content: "Back to the customer",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Dupont Industrie")',
            run: "click",
        },
        {
            content: "Its Credit Control tab",
            trigger: '.o_notebook .nav-link:contains("Credit Control")',
            run: "click",
        },
        {
            content: "The last approved review and the deposit are shown",
            trigger:
                '.o_notebook .o_field_widget[name=credit_last_review_id]:contains("Credit review of Dupont Industrie")',
        },
        {
            trigger: ".o_notebook .o_field_widget[name=credit_deposit_percent]:contains(20)",
        },
    ],
});

// A salesperson opens a quotation of a customer whose review asks a 30 %
// deposit: the quotation says so, and the confirmation is refused with the
// figures until the deposit is paid online.
registry.category("web_tour.tours").add("credit_review_deposit", {
    steps: () => [
        {
            content: "The quotation already says the deposit is due",
            trigger:
                '.o_form_view .alert-danger:contains("Credit control will refuse this order"):contains("deposit of 30 %")',
        },
        {
            content: "Confirm it anyway",
            trigger: '.o_form_statusbar button:contains("Confirm")',
            run: "click",
        },
        {
            content: "The refusal gives the deposit, the amount and what is paid",
            trigger:
                '.modal .o_error_dialog:contains("deposit of 30 % required"):contains("300.00"):contains("0.00 paid so far")',
        },
        {
            content: "Close the refusal",
            trigger: '.modal .o_error_dialog button:contains("Close")',
            run: "click",
        },
        {
            content: "The quotation is still a quotation",
            trigger:
                'body:not(:has(.modal)) .o_statusbar_status:has(.o_arrow_button_current:contains("Quotation"))',
        },
    ],
});

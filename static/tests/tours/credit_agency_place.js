import { registry } from "@web/core/registry";

// A credit manager opens a customer whose account is long overdue and places
// it with a collection agency from its Credit Control tab. The data is made
// by tests/test_tours_agency.py, which checks the placement afterwards.
registry.category("web_tour.tours").add("credit_agency_place", {
    steps: () => [
        {
            content: "Open the Credit Control tab of the customer",
            trigger: '.o_notebook .nav-link:contains("Credit Control")',
            run: "click",
        },
        {
            content: "Place it with an agency",
            trigger: '.o_notebook button:contains("Place with Agency")',
            run: "click",
        },
        {
            content: "The dialog lists the overdue invoice",
            trigger: '.modal .o_data_row:contains("1,000.00")',
        },
        {
            content: "Choose the agency",
            trigger: '.modal .o_field_widget[name=agency_id] input',
            run: "edit Recouvra",
        },
        {
            content: "Pick it in the list",
            trigger: '.o-autocomplete--dropdown-item:contains("Recouvra SAS")',
            run: "click",
        },
        {
            content: "The agency's reference of the file",
            trigger: '.modal .o_field_widget[name=reference] input',
            run: "edit RS-2026-0042",
        },
        {
            content: "Place",
            trigger: '.modal-footer button:contains("Place with Agency")',
            run: "click",
        },
        {
            content: "The placement is shown, in progress",
            trigger:
                '.o_form_view .o_field_widget[name=reference]:contains("RS-2026-0042")',
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("In Progress")',
        },
    ],
});

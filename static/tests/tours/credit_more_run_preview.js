import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector opens Credit Control > Collection > Preview Next Run, reads in
// the preview the customer the run would remind, runs it and confirms. The
// data is made by tests/test_tours_more.py, which checks the records
// afterwards.
registry.category("web_tour.tours").add("credit_more_run_preview", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Invoicing",
            trigger: '.o_app:contains("Invoicing")',
            run: "click",
        },
        {
            content: "Open the Credit Control menu",
            trigger: '.o_main_navbar .o_menu_sections button:contains("Credit Control")',
            run: "click",
        },
        {
            content: "The menu is grouped as Odoo's apps are: Overview first, then Collection",
            trigger:
                '.o-dropdown--menu:has(.dropdown-header:contains("Overview") + .dropdown-item:contains("Cockpit")):has(.dropdown-header:contains("Collection"))',
        },
        {
            content: "A collector may run the ladder by hand: Run Dunning Now is there",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Run Dunning Now")',
        },
        {
            content: "Preview the next run",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Preview Next Run")',
            run: "click",
        },
        {
            content: "The preview of the next run opens",
            trigger: '.modal .modal-title:contains("Preview of the Next Run")',
        },
        {
            content: "It shows the customer the run would remind, with its invoice",
            trigger:
                '.modal .o_field_widget[name=summary] tr:contains("Dupont Industrie"):contains("1,000.00")',
        },
        {
            content: "Run it",
            trigger: '.modal-footer button:contains("Run Now")',
            run: "click",
        },
        {
            content: "The dialog asks for a confirmation",
            trigger: '.modal-body:contains("Run the dunning now?")',
        },
        {
            content: "Confirm",
            trigger: '.modal:has(.modal-body:contains("Run the dunning now?")) .modal-footer .btn-primary',
            run: "click",
        },
        {
            content: "The run opens, done, with the reminder of the customer",
            trigger:
                'body:not(:has(.modal)) .o_form_view:has(.o_statusbar_status .o_arrow_button_current:contains("Done")) .o_field_widget[name=communication_ids]:contains("Dupont Industrie")',
        },
    ],
});

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector previews the next run for a customer never reminded whose
// invoice is 55 days late: the preview says the run sends the first reminder
// (first contact), not the cash-only / legal level the days alone would give,
// and when that level may come. The collector runs it and sees the first
// reminder in the run. The data is made by tests/test_tours_more.py, which
// checks the reminder sent and the customer's flags afterwards.
const ROW = '.modal .o_field_widget[name=summary] tr:contains("Dupont Industrie")';

registry.category("web_tour.tours").add("credit_first_contact", {
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
            content: "Preview the next run",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Preview Next Run")',
            run: "click",
        },
        {
            content: "The preview of the next run opens",
            trigger: '.modal .modal-title:contains("Preview of the Next Run")',
        },
        {
            content: "The customer would get the first reminder, with its invoice",
            trigger: `${ROW}:contains("First reminder"):contains("800.00")`,
        },
        {
            content: "The preview says why: a first contact, and when the next level may come",
            trigger:
                `${ROW} .text-muted:contains("first contact: First reminder instead of Cash only / legal; Cash only / legal not before")`,
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
            content: "The run opens, done, with the first reminder of the customer",
            trigger:
                'body:not(:has(.modal)) .o_form_view:has(.o_statusbar_status .o_arrow_button_current:contains("Done")) .o_field_widget[name=communication_ids] tr:contains("Dupont Industrie"):contains("First reminder")',
        },
    ],
});

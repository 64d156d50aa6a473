import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A credit manager opens a customer from Credit Control > Customers, reads its
// exposure and overdue on the Credit Control tab, sets its credit limit, puts
// it on hold with a reason, then lifts the hold. The data is made by
// tests/test_tours_credit.py, which checks the records afterwards.
registry.category("web_tour.tours").add("credit_control_hold", {
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
            content: "Its customers",
            trigger: ".o-dropdown-item:text(Customers)",
            run: "click",
        },
        {
            content: "The customers of credit control are listed",
            trigger: '.o_control_panel .o_breadcrumb:contains("Customers")',
        },
        {
            content: "The list shows the exposure and the overdue amount",
            trigger:
                '.o_list_renderer .o_data_row:contains("Dupont Industrie"):contains("1,500.00"):contains("1,000.00")',
        },
        {
            content: "Open the customer",
            trigger: '.o_data_row .o_data_cell:contains("Dupont Industrie")',
            run: "click",
        },
        {
            content: "Open its Credit Control tab",
            trigger: '.o_notebook .nav-link:contains("Credit Control")',
            run: "click",
        },
        {
            content: "The exposure, in the company currency",
            trigger:
                '.o_notebook .o_field_widget[name=credit_exposure]:contains("$"):contains("1,500.00")',
        },
        {
            content: "The overdue amount and its age",
            trigger:
                '.o_notebook .o_field_widget[name=credit_overdue_amount]:contains("$"):contains("1,000.00")',
        },
        {
            trigger: ".o_notebook .o_field_widget[name=credit_oldest_overdue_days]:contains(30)",
        },
        {
            content: "No limit yet, and it says so",
            trigger: '.o_notebook div[name=credit_remaining]:contains("No limit")',
        },
        {
            content: "Set the credit limit",
            trigger: ".o_notebook .o_field_widget[name=credit_limit] input",
            run: "edit 2000 && press Tab",
        },
        {
            content: "What is left of it is shown at once",
            trigger:
                '.o_notebook .o_field_widget[name=credit_remaining]:contains("$"):contains("500.00")',
        },
        {
            content: "Put the customer on hold",
            trigger: '.o_notebook button:contains("Put on Hold")',
            run: "click",
        },
        {
            content: "The dialog says what happens",
            trigger:
                '.modal:has(.modal-title:contains("Put on hold")) .alert:contains("Dupont Industrie goes on credit hold")',
        },
        {
            content: "Nothing to tick: the button decides",
            trigger: ".modal:not(:has(.o_field_boolean)) .modal-footer",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] input",
            run: "edit The credit insurer withdrew its cover",
        },
        {
            content: "Confirm",
            trigger: '.modal-footer button:contains("Put on Hold")',
            run: "click",
        },
        {
            content: "The customer shows on hold, with the reason",
            trigger:
                'body:not(:has(.modal)) .o_form_view .alert-danger:contains("On credit hold"):contains("The credit insurer withdrew its cover")',
        },
        {
            content: "The hold is in the chatter",
            trigger: '.o-mail-Message:contains("Credit hold set")',
        },
        {
            content: "Lift the hold",
            trigger: '.o_notebook button:contains("Lift Hold")',
            run: "click",
        },
        {
            content: "The dialog recalls why it was set",
            trigger:
                '.modal:has(.modal-title:contains("Lift hold")) .alert:contains("The credit insurer withdrew its cover")',
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] input",
            run: "edit The insurer covers the customer again",
        },
        {
            content: "Confirm",
            trigger: '.modal-footer button:contains("Lift Hold")',
            run: "click",
        },
        {
            content: "The hold is gone",
            trigger:
                'body:not(:has(.modal)) .o_form_view:not(:has(.alert-danger)) .o_notebook button:contains("Put on Hold")',
        },
        {
            content: "Its lifting is in the chatter",
            trigger: '.o-mail-Message:contains("Credit hold lifted")',
        },
    ],
});

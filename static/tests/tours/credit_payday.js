import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector opens a consumer from Credit Control > Customers and sets the
// day of the month it can pay (its payday) on the Credit Control tab; then
// confirms a draft invoice of the customer: its due date moves from the
// payment term's 12 March to the next 5th, 5 April. The data is made by
// tests/test_tours_payday.py, which checks the records afterwards.
registry.category("web_tour.tours").add("credit_payday_set", {
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
            content: "Look for the customer",
            trigger: ".o_searchview_input",
            run: "edit Tour Payday && press Enter",
        },
        {
            content: "Open the customer",
            trigger: '.o_data_row .o_data_cell:contains("Tour Payday Customer")',
            run: "click",
        },
        {
            content: "Open its Credit Control tab",
            trigger: '.o_notebook .nav-link:contains("Credit Control")',
            run: "click",
        },
        {
            content: "No payday yet: the payment term's date",
            trigger: '.o_notebook div[name=credit_payday]:contains("the payment term\'s date")',
        },
        {
            content: "The customer is paid on the 5th",
            trigger: ".o_notebook .o_field_widget[name=credit_payday] input",
            run: "edit 5 && press Tab",
        },
        {
            content: "It reads as a day of the month",
            trigger: '.o_notebook div[name=credit_payday]:contains("day of the month")',
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the payday stays",
            trigger:
                '.o_form_saved .o_notebook div[name=credit_payday]:contains("day of the month")',
        },
    ],
});

registry.category("web_tour.tours").add("credit_payday_invoice", {
    steps: () => [
        {
            content: "The draft falls due on the payment term's date",
            trigger: ".o_form_view:not(:has(div[name=credit_payday_due_date]:visible))",
        },
        {
            content: "Confirm the invoice",
            trigger: '.o_form_statusbar button[name="action_post"]',
            run: "click",
        },
        {
            content: "The due date moved to the customer's payday",
            trigger:
                'div[name=credit_payday_due_date]:contains("Apr 5"):contains("moved to the payday from"):contains("Mar 12")',
        },
    ],
});

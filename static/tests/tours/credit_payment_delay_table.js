import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A credit manager opens Credit Control > Reporting > Payment Delay Table,
// sets the closing date, computes and reads the table of the management
// report. The data is made by tests/test_payment_delay_table.py, which checks
// the figures afterwards.
registry.category("web_tour.tours").add("credit_payment_delay_table", {
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
            content: "Its reporting: the payment delay table",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Payment Delay Table")',
            run: "click",
        },
        {
            content: "The closing date proposed: the end of the last closed year",
            trigger: ".o_form_view .o_field_widget[name=date_closing] button.o_input",
            run: "click",
        },
        {
            content: "Set the closing date",
            trigger: ".o_form_view .o_field_widget[name=date_closing] input",
            run: "edit 06/30/2026 && press Enter",
        },
        {
            content: "Compute",
            trigger: '.o_form_view .o_form_statusbar button:contains("Compute")',
            run: "click",
        },
        {
            content: "The table shows the invoice 30 days late at the closing",
            trigger:
                '.o_credit_payment_delay_table tr.o_credit_delay_issued_amount:contains("1,234.00")',
        },
        {
            content: "Under the arrêté's columns",
            trigger: '.o_credit_payment_delay_table th:contains("1 to 30 days")',
        },
    ],
});

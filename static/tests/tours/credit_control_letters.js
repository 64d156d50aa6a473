import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector prints the letters the ladder left to print, then marks them as
// printed. The data is made by tests/test_tours_credit.py, which checks the
// records afterwards.
registry.category("web_tour.tours").add("credit_control_letters", {
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
            content: "Its letters to print",
            trigger: ".o-dropdown-item:text(Letters to Print)",
            run: "click",
        },
        {
            content: "The letters are listed",
            trigger: '.o_control_panel .o_breadcrumb:contains("Letters to Print")',
        },
        {
            content: "Two letters wait",
            trigger:
                '.o_list_renderer:has(.o_data_row:contains("Dupont Industrie"):contains("To Print")):has(.o_data_row:contains("Martin SA"):contains("To Print"))',
        },
        {
            content: "Only them",
            trigger: ".o_list_renderer:not(:has(.o_data_row:eq(2)))",
        },
        {
            content: "Select them all",
            trigger: ".o_list_renderer thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Print them",
            trigger: '.o_control_panel button:contains("Print Letters")',
            run: "click",
        },
        {
            content: "Once printed, mark them as printed",
            trigger: '.o_control_panel button:contains("Mark as Printed")',
            run: "click",
        },
        {
            content: "No letter is left to print",
            trigger: ".o_view_nocontent, .o_list_renderer:not(:has(.o_data_row))",
        },
    ],
});

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector opens the aged receivables, keeps what is overdue and opens the
// invoice behind a line. The data is made by tests/test_aged_receivable.py.
registry.category("web_tour.tours").add("credit_aged_receivable", {
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
            content: "Its aged receivables",
            trigger: ".o-dropdown-item:text(Aged Receivables)",
            run: "click",
        },
        {
            content: "The pivot by customer, with the age columns",
            trigger:
                '.o_pivot:has(th:contains("Dupont Industrie")):has(th:contains("1-30")):has(th:contains("Not Due"))',
        },
        {
            content: "Switch to the list",
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Ungroup",
            trigger: '.o_searchview_facet:contains("Customer") .o_facet_remove',
            run: "click",
        },
        {
            content: "Both open invoices are listed",
            trigger:
                '.o_list_renderer:has(.o_data_row:contains("1,000.00")):has(.o_data_row:contains("500.00"))',
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep what is overdue",
            trigger: '.o_filter_menu .dropdown-item:contains("Overdue")',
            run: "click",
        },
        {
            content: "Only the overdue invoice is left",
            trigger:
                '.o_list_renderer:has(.o_data_row:contains("500.00")):not(:has(.o_data_row:contains("1,000.00")))',
        },
        {
            content: "Open it",
            trigger: '.o_data_row:contains("500.00") td.o_data_cell:first',
            run: "click",
        },
        {
            content: "The invoice opens",
            trigger: '.o_form_view .o_field_widget[name="partner_id"]:contains("Dupont Industrie")',
        },
    ],
});

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector sees in Credit Control > Customers that Dupont Industrie pays
// late (its payment segment), opens it and reads, on its Credit Control tab,
// its segment, its figures and the graph of its last twelve months, then
// recomputes them. The data is made by tests/test_tours_segments.py.
registry.category("web_tour.tours").add("credit_segment_customer", {
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
            content: "The list shows the payment segment of each customer",
            trigger:
                '.o_list_renderer .o_data_row:contains("Dupont Industrie") .o_data_cell[name=credit_segment_id]:contains("Late")',
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
            content: "Its payment segment",
            trigger: '.o_notebook .o_field_widget[name=credit_segment_id]:contains("Late")',
        },
        {
            content: "Its figures: three invoices paid, 15 days late on average",
            trigger:
                ".o_notebook .o_field_widget[name=credit_behaviour_invoices_paid]:contains(3)",
        },
        {
            trigger:
                '.o_notebook .o_field_widget[name=credit_behaviour_avg_days_late]:contains("15.00")',
        },
        {
            content: "The graph of its last twelve months is drawn",
            trigger: ".o_notebook .o_credit_behaviour_graph canvas",
        },
        {
            content: "Recompute the figures now",
            trigger: '.o_notebook button[name=action_credit_behaviour_refresh]',
            run: "click",
        },
        {
            content: "Still late, still drawn",
            trigger:
                '.o_notebook:has(.o_field_widget[name=credit_segment_id]:contains("Late")) .o_credit_behaviour_graph canvas',
        },
    ],
});

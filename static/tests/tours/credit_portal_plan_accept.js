import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A credit manager accepts the payment plan a customer requested online:
// the instalments become payment promises. Data and checks in
// tests/test_tours_portal.py.
registry.category("web_tour.tours").add("credit_portal_plan_accept", {
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
            content: "Open Payment Plans",
            trigger: ".o-dropdown-item:text(Payment Plans)",
            run: "click",
        },
        {
            content: "Open the plan requested from the portal",
            trigger: ".o_data_row:contains(Tour Customer):contains(Customer Portal) .o_data_cell",
            run: "click",
        },
        {
            content: "Accept it",
            trigger: ".o_form_view button[name=action_accept]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The plan is accepted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Accepted)",
        },
        {
            content: "Each instalment is a promise",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1) .o_data_cell:contains(Tour Customer)",
        },
    ],
});

import { registry } from "@web/core/registry";

// A salesperson whose customer reached the escalation level of the dunning
// ladder finds the escalation in their activities (the clock in the systray)
// and opens the reminder it is about. The data is made by
// tests/test_tours_more.py, which checks the records afterwards.
registry.category("web_tour.tours").add("credit_more_escalation", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the activities",
            trigger: '.o_menu_systray i[aria-label="Activities"]',
            run: "click",
        },
        {
            content: "The escalation is late",
            trigger: '.o-mail-ActivityGroup:contains("Dunning Communication"):contains("1 Late")',
            run: "click",
        },
        {
            content: "The reminder of the customer at the escalation level is listed",
            trigger: '.o_list_renderer .o_data_row:contains("Dupont Industrie"):contains("Sales rep escalation")',
        },
        {
            content: "Open it",
            trigger:
                '.o_list_renderer .o_data_row:contains("Sales rep escalation") .o_data_cell:contains("Dupont Industrie")',
            run: "click",
        },
        {
            content: "The reminder opens, at the escalation level",
            trigger:
                '.o_form_view:has(.o_field_widget[name=level_id]:contains("Sales rep escalation")) .o_field_widget[name=partner_id]:contains("Dupont Industrie")',
        },
        {
            content: "Its escalation is shown, for the salesperson",
            trigger:
                '.o-mail-Activity:contains("days overdue"):contains("Your customer Dupont Industrie is late paying"):contains("for Sam Salesman")',
        },
    ],
});

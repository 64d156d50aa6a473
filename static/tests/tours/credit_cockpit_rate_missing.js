import { registry } from "@web/core/registry";

// A credit manager opens the cockpit: a half-year with late open invoices has
// no reference rate. The alert says which one, the button opens the reference
// rates, where the manager adds it. The data is made by
// tests/test_tours_cockpit.py.
registry.category("web_tour.tours").add("credit_cockpit_rate_missing", {
    url: "/odoo/credit-cockpit",
    steps: () => [
        {
            content: "The cockpit says which reference rate is missing",
            trigger: ".o_credit_cockpit_alert:contains(no reference rate for):contains(1 late invoice(s))",
        },
        {
            content: "and leads to the reference rates",
            trigger: ".o_credit_cockpit_alert button:contains(Reference Rates)",
            run: "click",
        },
        {
            content: "The list of reference rates opens",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "The manager types the first day of the half-year",
            trigger: ".o_data_row.o_selected_row [name=date_from] input",
            run: "edit " + halfYearStart(),
        },
        {
            content: "and its rate",
            trigger: ".o_data_row.o_selected_row [name=rate] input",
            run: "edit 3.15",
        },
        {
            content: "Save",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The rate is saved",
            trigger: ".o_list_view .o_data_row:not(.o_selected_row) [name=rate]:contains(3.15)",
        },
    ],
});

// the half-year of a due date 200 days ago, as the test sets it up
function halfYearStart() {
    const day = new Date(Date.now() - 200 * 24 * 3600 * 1000);
    const month = day.getMonth() < 6 ? 1 : 7;
    return `${String(month).padStart(2, "0")}/01/${day.getFullYear()}`;
}

import { registry } from "@web/core/registry";

// A credit manager puts three customers on hold at once from the Customers
// list of Credit Control: one reason for all. The customers are made by
// tests/test_tours_bulk.py, which checks them afterwards.
const customers = ["Tour Client Alpha", "Tour Client Beta", "Tour Client Gamma"];

registry.category("web_tour.tours").add("credit_bulk_hold", {
    steps: () => [
        {
            content: "Look for the customers",
            trigger: ".o_searchview_input",
            run: "edit Tour Client",
        },
        {
            content: "Search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only the customers looked for are listed",
            trigger: `.o_list_renderer:not(:has(.o_data_row:not(:contains("Tour Client"))))`,
        },
        ...customers.map((name) => ({
            content: `Select ${name}`,
            trigger: `.o_data_row:contains("${name}") td.o_list_record_selector input[type="checkbox"]`,
            run: "click",
        })),
        {
            content: "Three customers are selected",
            trigger: '.o_selection_box:contains("3 selected")',
        },
        {
            content: "Open the Action menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Put them on hold",
            trigger: '.o-dropdown--menu .o_menu_item:contains("Put on Hold")',
            run: "click",
        },
        {
            content: "The dialog says what happens to the three",
            trigger: '.modal .alert-info:contains("3 customer(s) go on credit hold")',
        },
        {
            content: "One reason for all",
            trigger: '.modal [name="reason"] input',
            run: "edit Credit insurer withdrew cover for the sector",
        },
        {
            content: "Put on hold",
            trigger: '.modal-footer button:contains("Put on Hold")',
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

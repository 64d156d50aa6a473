import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector opens a reminder, records the payment date the customer
// promised on the phone, then marks another invoice of the customer as
// disputed and finds it under Credit Control > Disputes. The data is made by
// tests/test_tours_credit.py, which checks the records afterwards.
const promisedDate = luxon.DateTime.now().plus({ days: 7 }).toFormat("MM/dd/yyyy");

function openMenu(section, item) {
    return [
        {
            content: `Open the ${section} menu`,
            trigger: `.o_main_navbar .o_menu_sections button:contains("${section}")`,
            run: "click",
        },
        {
            content: `Open ${item}`,
            trigger: `.o-dropdown-item:text(${item})`,
            run: "click",
        },
        {
            content: `${item} are listed`,
            trigger: `.o_control_panel .o_breadcrumb:contains("${item}")`,
        },
    ];
}

registry.category("web_tour.tours").add("credit_control_promise_dispute", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Invoicing",
            trigger: '.o_app:contains("Invoicing")',
            run: "click",
        },
        ...openMenu("Credit Control", "Reminders"),
        {
            content: "Open the reminder of the customer",
            trigger: '.o_data_row .o_data_cell:contains("Dupont Industrie")',
            run: "click",
        },
        {
            content: "The reminder shows only the state that applies",
            trigger:
                '.o_form_view .o_statusbar_status:not(:has(button:contains("To Print"))) .o_arrow_button_current:contains("Sent")',
        },
        {
            content: "The customer promised a date on the phone",
            trigger: '.o_form_statusbar button:contains("Record Promise")',
            run: "click",
        },
        {
            content: "The promise covers the reminded invoice",
            trigger: '.modal .o_field_widget[name=move_ids]:contains("INV/")',
        },
        {
            content: "Enter the promised date",
            trigger: ".modal .o_field_widget[name=date] input",
            run: `edit ${promisedDate}`,
        },
        {
            content: "Note what the customer said",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Will pay by bank transfer",
        },
        {
            content: "Record the promise",
            trigger: '.modal-footer button:contains("Record")',
            run: "click",
        },
        {
            content: "The promise is named after the customer, the amount and the date",
            trigger: `body:not(:has(.modal)) .o_form_view .oe_title:contains("Dupont Industrie"):contains("${promisedDate}")`,
        },
        ...openMenu("Customers", "Invoices"),
        {
            content: "Open the invoice the customer contests",
            trigger: '.o_data_row:contains("Dupont Industrie"):contains("200.00") .o_data_cell:first',
            run: "click",
        },
        {
            content: "Dispute it",
            trigger: '.o_form_statusbar button:contains("Dispute")',
            run: "click",
        },
        {
            content: "The dialog says what a dispute does",
            trigger: '.modal .alert:contains("gets no reminder until the dispute is resolved")',
        },
        {
            content: "Say what the customer contests",
            trigger: ".modal .o_field_widget[name=reason] input",
            run: "edit Goods damaged on delivery",
        },
        {
            content: "Mark it as disputed",
            trigger: '.modal-footer button:contains("Mark as Disputed")',
            run: "click",
        },
        {
            content: "The invoice now offers to resolve the dispute",
            trigger: 'body:not(:has(.modal)) .o_form_statusbar button:contains("Resolve Dispute")',
        },
        ...openMenu("Credit Control", "Disputes"),
        {
            content: "The disputed invoice is listed with its reason",
            trigger:
                '.o_list_renderer .o_data_row:contains("Dupont Industrie"):contains("Goods damaged on delivery"):contains("200.00")',
        },
        {
            content: "Only that one",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains('1,000.00')))",
        },
    ],
});

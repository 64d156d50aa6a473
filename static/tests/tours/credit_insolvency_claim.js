import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A customer went under: the credit manager starts the day on the cockpit,
// reads what is at stake in proceedings, opens the "Declare the claim" task
// from the worklist, prints the declaration of claim and records it as sent.
// The data is made by tests/test_tours_legal.py, which checks the records
// afterwards.
registry.category("web_tour.tours").add("credit_insolvency_claim", {
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
            content: "Open the cockpit",
            trigger: '.o-dropdown--menu .dropdown-item:first:contains("Cockpit")',
            run: "click",
        },
        {
            content: "The cockpit shows what is at stake in proceedings",
            trigger: '.o_credit_figure_proceedings .o_credit_figure_value:contains("1,500.00")',
        },
        {
            content: "The worklist has the claim to declare, with its deadline",
            trigger:
                ".o_credit_worklist_section_claims_to_declare .o_credit_worklist_line:contains(Declare the claim: Garage Lefèvre)",
            run: "click",
        },
        {
            content: "The proceedings open, with the deadline and the task",
            trigger:
                '.o_form_view .alert-warning:contains("Declare the claim by"):contains("days left")',
        },
        {
            content: "The task is in the chatter",
            trigger: '.o-mail-Activity:contains("Declare the claim: Garage Lefèvre")',
        },
        {
            content: "The invoices before the judgment are listed",
            trigger: '.o_form_view .o_field_widget[name=move_ids] .o_data_row',
        },
        {
            content: "Print the declaration",
            trigger: '.o_form_view .o_form_statusbar button:contains("Print Declaration")',
            run: "click",
        },
        {
            content: "Once sent, record it",
            trigger: '.o_form_view .o_form_statusbar button:contains("Record as Sent")',
            run: "click",
        },
        {
            content: "The amount declared is proposed",
            trigger: ".modal .o_field_widget[name=amount] input",
        },
        {
            content: "Name the court's representative",
            trigger: ".modal .o_field_widget[name=representative] input",
            run: "edit SELARL MJ Synergie, Lyon",
        },
        {
            content: "Record it as sent",
            trigger: '.modal-footer button:contains("Record as Sent")',
            run: "click",
        },
        {
            content: "The claim is declared: its date and amount show, no more to record",
            trigger:
                '.o_form_view:has(.o_field_widget[name=claim_date]):has(.o_field_widget[name=claim_amount]) .o_form_statusbar:not(:has(button:contains("Record as Sent")))',
        },
        {
            content: "The chatter says what was declared, to whom, with the PDF",
            trigger:
                '.o-mail-Message:contains("declared on"):contains("SELARL MJ Synergie") .o-mail-AttachmentContainer:contains("Declaration of claim - Garage Lefèvre")',
        },
    ],
});

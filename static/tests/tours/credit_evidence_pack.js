import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A credit manager opens a customer from Credit Control > Customers and builds
// the lawyer's evidence pack from its Credit Control tab: the PDF and the zip
// appear in the chatter. The data is made by tests/test_tours_legal.py, which
// checks the records afterwards.
registry.category("web_tour.tours").add("credit_evidence_pack", {
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
            content: "Build the evidence pack",
            trigger: '.o_notebook button:contains("Evidence Pack")',
            run: "click",
        },
        {
            content: "The chatter tells who built it and what is claimed",
            trigger: '.o-mail-Message:contains("Evidence pack built by"):contains("1,000.00")',
        },
        {
            content: "With the PDF and the zip of the originals",
            trigger:
                '.o-mail-Message:contains("Evidence pack built by") .o-mail-AttachmentContainer:contains("Evidence pack Dupont Industrie"):contains(".zip")',
        },
    ],
});

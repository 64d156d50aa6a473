import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A credit manager opens Credit Control > Configuration > Import Credit Limits,
// uploads a CSV file, reads the preview (current limit → new limit) and
// imports it. The data is made by tests/test_tours_more.py, which checks the
// records afterwards.
registry.category("web_tour.tours").add("credit_more_import", {
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
            content: "Import credit limits",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Import Credit Limits")',
            run: "click",
        },
        {
            content: "The dialog explains the columns",
            trigger: '.modal .modal-title:contains("Import Credit Limits")',
        },
        {
            content: "Upload the file",
            trigger: ".modal .o_field_widget[name=file] input[type=file]:not(:visible)",
            async run() {
                const input = document.querySelector(
                    ".modal .o_field_widget[name=file] input[type=file]"
                );
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["partner;limit\nDUP01;5000\n"], "limits.csv", {
                        type: "text/csv",
                    })
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is loaded: it can be cleared",
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            content: "Preview it",
            trigger: '.modal-footer button:contains("Preview")',
            run: "click",
        },
        {
            content: "The preview shows the current and the new limit",
            trigger:
                '.modal .o_field_widget[name=line_ids] .o_data_row:contains("Dupont Industrie"):contains("1,000.00 → $"):contains("5,000.00")',
        },
        {
            content: "Import",
            trigger: '.modal-footer button:contains("Import"):not(:contains("Preview"))',
            run: "click",
        },
        {
            content: "The import is confirmed",
            trigger: '.o_notification:contains("Credit limits imported from limits.csv")',
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

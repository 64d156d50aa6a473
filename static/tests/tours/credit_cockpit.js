import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector starts the day on Invoicing > Credit Control > Cockpit: reads a
// figure, opens the overdue invoices behind it, then an aging bucket, then the
// call the worklist says is due today. The data is made by
// tests/test_tours_cockpit.py.
registry.category("web_tour.tours").add("credit_cockpit_collector", {
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
            content: "The cockpit is its first entry",
            trigger: '.o-dropdown--menu .dropdown-item:first:contains("Cockpit")',
            run: "click",
        },
        {
            content: "The cockpit shows the receivables",
            trigger: '.o_credit_figure_receivable .o_credit_figure_value:contains("1,800.00")',
        },
        {
            content: "and the overdue amount",
            trigger: '.o_credit_figure_overdue .o_credit_figure_value:contains("1,500.00")',
            run: "click",
        },
        {
            content: "The overdue invoices open: Dupont Industrie's and Bernard Frères'",
            trigger:
                '.o_list_view .o_list_renderer:has(.o_data_row:contains("Dupont Industrie")):has(.o_data_row:contains("Bernard Frères"))',
        },
        {
            content: "and nothing else: not Claude Négoce's invoice, not yet due",
            trigger:
                '.o_list_view:not(:has(.o_data_row:contains("Claude Négoce"))) .o_pager_limit:text(2)',
        },
        {
            content: "Back to the cockpit",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Cockpit")',
            run: "click",
        },
        {
            content: "Open the invoices 31 to 60 days late",
            trigger: ".o_credit_aging .o_credit_aging_bucket_31_60:contains(500.00)",
            run: "click",
        },
        {
            content: "Only Bernard Frères' invoice is in that bucket",
            trigger:
                '.o_list_view:not(:has(.o_data_row:contains("Dupont Industrie"))) .o_list_renderer:has(.o_data_row:contains("Bernard Frères"))',
        },
        {
            content: "Back to the cockpit",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Cockpit")',
            run: "click",
        },
        {
            content: "No order is blocked: open the Blocked Orders figure anyway",
            trigger: '.o_credit_figure_blocked_orders .o_credit_figure_value:contains("0")',
            run: "click",
        },
        {
            content: "The list is empty, without Odoo's sample orders",
            trigger:
                'body:not(:has(.o_view_sample_data)) .o_list_view:not(:has(.o_data_row)) .o_list_renderer',
        },
        {
            content: "titled after the figure",
            trigger: '.o_breadcrumb .active:contains("Credit Blocked Orders")',
        },
        {
            content: "Back to the cockpit",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Cockpit")',
            run: "click",
        },
        {
            content: "Refresh the cockpit",
            trigger: ".o_credit_cockpit_refresh:enabled",
            run: "click",
        },
        {
            content: "The worklist has a call due today: Dupont Industrie",
            trigger:
                ".o_credit_worklist_section_calls .o_credit_worklist_line:contains(Dupont Industrie)",
            run: "click",
        },
        {
            content: "The record opens, with the call to make",
            trigger:
                '.o_form_view:contains("Dupont Industrie") .o-mail-Activity:contains("Call Dupont Industrie")',
        },
    ],
});

// A salesperson opens their worklist: the escalation of their own customer is
// there, not the other salesperson's customer.
registry.category("web_tour.tours").add("credit_cockpit_salesperson", {
    url: "/odoo/credit-worklist",
    steps: () => [
        {
            content: "My worklist opens, with my customer's escalation",
            trigger: ".o_credit_worklist .o_credit_worklist_line:contains(Dupont Industrie)",
        },
        {
            content: "Not the customer of another salesperson",
            trigger:
                ".o_credit_worklist:not(:has(.o_credit_worklist_line:contains(Lambert Bâtiment))) .o_credit_worklist_title",
        },
        {
            content: "No switch to all collectors for a salesperson",
            trigger: ".o_credit_worklist:not(:has(.o_credit_worklist_scope)) .o_credit_worklist_title",
        },
        {
            content: "Open the escalation",
            trigger: ".o_credit_worklist_line:contains(Dupont Industrie)",
            run: "click",
        },
        {
            content: "The record opens",
            trigger: '.o_form_view:contains("Dupont Industrie")',
        },
    ],
});

// Before the first invoice: the cockpit says so instead of empty charts.
registry.category("web_tour.tours").add("credit_cockpit_empty", {
    url: "/odoo/credit-cockpit",
    steps: () => [
        {
            content: "The cockpit says there is nothing to follow yet",
            trigger: '.o_credit_cockpit_empty:contains("No receivables yet")',
        },
        {
            content: "No figures, no charts",
            trigger: ".o_credit_cockpit:not(:has(.o_credit_figure)):not(:has(canvas)) .o_credit_cockpit_empty",
        },
        {
            content: "and the worklist is clear",
            trigger: '.o_credit_worklist_empty:contains("Nothing waits for you today")',
        },
    ],
});

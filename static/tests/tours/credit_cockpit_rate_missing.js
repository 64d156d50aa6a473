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
            content: "Muted labels are readable: 4.5:1 contrast at least (WCAG AA)",
            trigger: ".o_credit_figure_label",
            run() {
                const failures = mutedContrastFailures(
                    document.querySelector(".o_credit_cockpit")
                );
                if (failures.length) {
                    throw new Error(`low contrast: ${failures.join("; ")}`);
                }
                // lists keep their items: a screen reader counts them
                const cockpit = document.querySelector(".o_credit_cockpit");
                if (cockpit.querySelector("ul > :not(li), ol > :not(li), li[role]")) {
                    throw new Error("a list holds something else than its items");
                }
            },
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

// the muted texts of ``root`` whose contrast with their background is under 4.5:1
function mutedContrastFailures(root) {
    const rgb = (value) => (value.match(/[\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
        const [R, G, B] = [r, g, b].map((c) => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const background = (element) => {
        for (let node = element; node; node = node.parentElement) {
            const color = rgb(getComputedStyle(node).backgroundColor);
            if (color.length === 3 || (color.length === 4 && color[3] === 1)) {
                return color.slice(0, 3);
            }
        }
        return [255, 255, 255];
    };
    const failures = [];
    for (const element of root.querySelectorAll(".text-muted")) {
        if (!element.offsetParent || !element.textContent.trim()) {
            continue;
        }
        // a muted colour is often translucent: blend it on its background
        const back = background(element);
        const [r, g, b, alpha = 1] = rgb(getComputedStyle(element).color);
        const text = [r, g, b].map((c, i) => alpha * c + (1 - alpha) * back[i]);
        const [light, dark] = [luminance(text), luminance(back)].sort((x, y) => y - x);
        const ratio = (light + 0.05) / (dark + 0.05);
        if (ratio < 4.5) {
            failures.push(`${element.textContent.trim().slice(0, 30)} ${ratio.toFixed(2)}`);
        }
    }
    return failures;
}

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { CreditChart } from "./credit_chart";
import {
    formatDays,
    formatFigure,
    formatMoney,
    formatServerDate,
    UNKNOWN,
} from "./credit_format";
import { CreditWorklist } from "./credit_worklist";

// the figures shown large, in the first row; the others are counts and sums
// of things to act upon
const MAIN_FIGURES = ["receivable", "overdue", "overdue_percent", "dso", "best_dso", "add", "cei"];
// not due, then darker as the debt gets older
const AGING_COLORS = ["#43C5B1", "#FFBC2C", "#F48935", "#EA6175", "#982738"];
const DSO_COLOR = "#3188E6";
const OVERDUE_COLOR = "#EA6175";

/**
 * The credit controller's landing page: figures, aging, cash forecast, trend
 * and the worklist, for the companies selected in the company switcher. Every
 * number opens the records behind it. The data comes in one call
 * (credit.cockpit get_cockpit_data); the charts are Odoo's Chart.js.
 */
export class CreditCockpit extends Component {
    static template = "credit_dunning.CreditCockpit";
    static components = { ControlPanel, CreditChart, CreditWorklist };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        // version: a refresh reloads the worklist too
        this.state = useState({ data: null, loading: false, version: 0 });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            const companyIds = user.activeCompanies.map((company) => company.id);
            this.state.data = await this.orm.call("credit.cockpit", "get_cockpit_data", [
                companyIds,
            ]);
            this.state.version++;
        } finally {
            this.state.loading = false;
        }
    }

    // Data -------------------------------------------------------------------

    get data() {
        return this.state.data || {};
    }

    get currency() {
        return this.data.currency;
    }

    get figures() {
        return this.data.figures || [];
    }

    get mainFigures() {
        return this.figures.filter((figure) => MAIN_FIGURES.includes(figure.key));
    }

    get otherFigures() {
        return this.figures.filter((figure) => !MAIN_FIGURES.includes(figure.key));
    }

    get buckets() {
        return this.data.aging?.buckets || [];
    }

    get agingCustomers() {
        return this.data.aging?.customers || [];
    }

    get forecast() {
        return this.data.forecast || [];
    }

    get trend() {
        return this.data.trend || [];
    }

    get isEmpty() {
        const receivable = this.figures.find((figure) => figure.key === "receivable");
        return (
            !this.buckets.some((bucket) => bucket.amount) && !(receivable && receivable.value)
        );
    }

    get asOf() {
        return _t("As of %(date)s", { date: formatServerDate(this.data.date) });
    }

    get forecastMax() {
        return Math.max(0, ...this.forecast.map((item) => item.amount || 0));
    }

    // what the charts show, for screen readers
    get agingLabel() {
        return this.buckets
            .map((bucket) => `${bucket.label}: ${this.formatMoney(bucket.amount)}`)
            .join(", ");
    }

    get trendLabel() {
        return this.trend
            .map(
                (point) =>
                    `${point.label}: ${formatDays(point.dso)}, ${
                        point.overdue === null ? UNKNOWN : this.formatMoney(point.overdue)
                    }`
            )
            .join("; ");
    }

    bucketColor(index) {
        return AGING_COLORS[index % AGING_COLORS.length];
    }

    forecastWidth(item) {
        return this.forecastMax ? Math.round((100 * (item.amount || 0)) / this.forecastMax) : 0;
    }

    // Formatting ---------------------------------------------------------------

    formatFigure(figure) {
        return formatFigure(figure, this.currency);
    }

    formatMoney(value) {
        return formatMoney(value, this.currency);
    }

    // Actions ------------------------------------------------------------------

    open(action) {
        if (action) {
            return this.action.doAction(action);
        }
    }

    // Charts -----------------------------------------------------------------

    agingChartConfig() {
        const buckets = this.buckets;
        return {
            type: "bar",
            data: {
                labels: buckets.map((bucket) => bucket.label),
                datasets: [
                    {
                        label: _t("Amount due"),
                        data: buckets.map((bucket) => bucket.amount),
                        backgroundColor: buckets.map((_, i) => this.bucketColor(i)),
                        borderRadius: 4,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                    legend: { display: false },
                    tooltip: {
                        callbacks: {
                            label: (context) => this.formatMoney(context.parsed.y),
                            footer: () => _t("Click to open the invoices"),
                        },
                    },
                },
                scales: {
                    y: {
                        beginAtZero: true,
                        ticks: {
                            callback: (value) =>
                                formatMoney(value, this.currency, { short: true }),
                        },
                    },
                },
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.open(buckets[elements[0].index].action);
                    }
                },
                onHover: (event, elements) => {
                    event.native.target.style.cursor = elements.length ? "pointer" : "";
                },
            },
        };
    }

    trendChartConfig() {
        const trend = this.trend;
        return {
            type: "line",
            data: {
                labels: trend.map((point) => point.label),
                datasets: [
                    {
                        label: _t("DSO (days)"),
                        data: trend.map((point) => point.dso),
                        borderColor: DSO_COLOR,
                        backgroundColor: DSO_COLOR,
                        yAxisID: "days",
                        tension: 0.25,
                        // a month without data is a gap, not a zero
                        spanGaps: false,
                    },
                    {
                        label: _t("Overdue"),
                        data: trend.map((point) => point.overdue),
                        borderColor: OVERDUE_COLOR,
                        backgroundColor: OVERDUE_COLOR,
                        yAxisID: "amount",
                        tension: 0.25,
                        spanGaps: false,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                plugins: {
                    legend: { position: "bottom" },
                    tooltip: {
                        callbacks: {
                            label: (context) =>
                                context.dataset.yAxisID === "days"
                                    ? `${context.dataset.label}: ${formatDays(context.parsed.y)}`
                                    : `${context.dataset.label}: ${this.formatMoney(context.parsed.y)}`,
                        },
                    },
                },
                scales: {
                    x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } },
                    days: {
                        type: "linear",
                        position: "left",
                        beginAtZero: true,
                        title: { display: true, text: _t("DSO (days)"), color: DSO_COLOR },
                    },
                    amount: {
                        type: "linear",
                        position: "right",
                        beginAtZero: true,
                        grid: { drawOnChartArea: false },
                        title: { display: true, text: _t("Overdue"), color: OVERDUE_COLOR },
                        ticks: {
                            callback: (value) =>
                                formatMoney(value, this.currency, { short: true }),
                        },
                    },
                },
            },
        };
    }
}

registry.category("actions").add("credit_dunning.cockpit", CreditCockpit);

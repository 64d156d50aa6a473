import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { CreditChart } from "../cockpit/credit_chart";

/**
 * The customer's last twelve months on its Credit Control tab: the amount it
 * paid each month (bars) and how late, on average weighted by amount (line).
 * The value is the Json of credit.payment.behaviour.monthly_history:
 * [{month: "2026-01", days_late, amount, count}, ...].
 */
export class CreditBehaviourGraph extends Component {
    static template = "credit_dunning.CreditBehaviourGraph";
    static components = { CreditChart };
    static props = { ...standardFieldProps };

    get history() {
        return this.props.record.data[this.props.name] || [];
    }

    get hasPayments() {
        return this.history.some((point) => point.count);
    }

    config() {
        const history = this.history;
        return {
            type: "bar",
            data: {
                labels: history.map((point) => point.month),
                datasets: [
                    {
                        type: "bar",
                        label: _t("Amount paid"),
                        data: history.map((point) => point.amount),
                        backgroundColor: "rgba(113, 99, 158, 0.45)",
                        yAxisID: "amount",
                        order: 2,
                    },
                    {
                        type: "line",
                        label: _t("Average days late"),
                        data: history.map((point) => (point.count ? point.days_late : null)),
                        borderColor: "#d9534f",
                        backgroundColor: "#d9534f",
                        spanGaps: true,
                        yAxisID: "days",
                        order: 1,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { position: "bottom" } },
                scales: {
                    amount: { type: "linear", position: "left", beginAtZero: true },
                    days: {
                        type: "linear",
                        position: "right",
                        beginAtZero: true,
                        grid: { drawOnChartArea: false },
                    },
                },
            },
        };
    }
}

registry.category("fields").add("credit_behaviour_graph", {
    component: CreditBehaviourGraph,
    supportedTypes: ["json"],
});

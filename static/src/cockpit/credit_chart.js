import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";

/**
 * A Chart.js chart, with the Chart.js Odoo ships (the bundle its graph view
 * loads). ``config`` is a function returning the Chart.js configuration; it is
 * called again, and the chart redrawn, when ``data`` changes.
 */
export class CreditChart extends Component {
    static template = "credit_dunning.CreditChart";
    static props = {
        config: Function,
        data: { optional: true },
        label: { type: String, optional: true },
        height: { type: Number, optional: true },
    };
    static defaultProps = { height: 260 };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.chart?.destroy();
                // eslint-disable-next-line no-undef
                this.chart = new Chart(this.canvasRef.el, this.props.config());
            },
            () => [this.props.data]
        );
        onWillUnmount(() => this.chart?.destroy());
    }
}

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { formatMoney, formatServerDate } from "./credit_format";

/**
 * The logged-in user's worklist (credit.cockpit get_worklist): first their
 * tasks, every open credit-control activity assigned to them, one line each,
 * grouped by kind with its deadline; then what to follow (promises due,
 * disputes, plans awaiting a manager, orders to approve...). Each line opens
 * its record. A credit manager may switch to all collectors.
 */
export class CreditWorklist extends Component {
    static template = "credit_dunning.CreditWorklist";
    static props = {
        standalone: { type: Boolean, optional: true },
        // the cockpit's currency; alone, the current company's
        currency: { type: Object, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, scope: "mine", folded: {} });
        onWillStart(() => this.load("mine"));
    }

    async load(scope) {
        const data = await this.orm.call("credit.cockpit", "get_worklist", [scope]);
        this.state.data = data;
        this.state.scope = data.scope || scope;
    }

    get currency() {
        // the amounts are in the currency of the current company
        return this.props.currency || { id: user.activeCompany?.currency_id };
    }

    get sections() {
        return this.state.data?.sections || [];
    }

    /** The tasks of a kind the user has, then everything to follow. */
    get visibleSections() {
        return this.sections.filter((section) => section.group !== "tasks" || section.count);
    }

    get firstFollowIndex() {
        return this.visibleSections.findIndex((section) => section.group === "follow");
    }

    get lateLabel() {
        return _t("Past its deadline");
    }

    get total() {
        return this.sections.reduce((sum, section) => sum + (section.count || 0), 0);
    }

    get title() {
        return this.state.scope === "all" ? _t("Worklist of all collectors") : _t("My worklist");
    }

    isFolded(section) {
        return section.key in this.state.folded
            ? this.state.folded[section.key]
            : !section.count;
    }

    toggleSection(section) {
        this.state.folded[section.key] = !this.isFolded(section);
    }

    onToggleScope(ev) {
        return this.load(ev.target.checked ? "all" : "mine");
    }

    openLine(line) {
        if (line.action) {
            return this.action.doAction(line.action);
        }
    }

    formatAmount(amount) {
        return amount === false || amount === undefined
            ? ""
            : formatMoney(amount, this.currency);
    }

    formatDate(date) {
        return formatServerDate(date);
    }

    moreLines(section) {
        return Math.max(0, (section.count || 0) - (section.lines || []).length);
    }

    moreLabel(section) {
        return _t("and %(count)s more", { count: this.moreLines(section) });
    }
}

/** The worklist alone, for sales reps and for the "My Worklist" menus. */
export class CreditWorklistAction extends Component {
    static template = "credit_dunning.CreditWorklistAction";
    static components = { ControlPanel, CreditWorklist };
    static props = { ...standardActionServiceProps };
}

registry.category("actions").add("credit_dunning.worklist", CreditWorklistAction);

import { _t } from "@web/core/l10n/translation";
import { formatCurrency, getCurrency } from "@web/core/currency";
import { formatDate, deserializeDate } from "@web/core/l10n/dates";
import { formatFloat } from "@web/core/utils/numbers";
import { formatInteger } from "@web/views/fields/formatters";

/**
 * Formatting of the cockpit's numbers with Odoo's own formatters (the user's
 * language decides the separators). ``currency`` is the description the
 * server sends ({id, symbol, position, digits}): the session knows only the
 * active currencies, the server's description covers the others.
 */
export function formatMoney(value, currency, { short = false } = {}) {
    // short: "30k €", for the axes of the charts
    const humanReadable = short;
    if (currency && getCurrency(currency.id)) {
        return formatCurrency(value || 0, currency.id, {
            humanReadable,
            digits: short ? [69, 0] : undefined,
        });
    }
    const digits = short ? 0 : currency?.digits ?? 2;
    const amount = formatFloat(value || 0, {
        digits: [69, digits],
        humanReadable,
        decimals: digits,
    });
    if (!currency?.symbol) {
        return amount;
    }
    return currency.position === "after"
        ? `${amount}\u00a0${currency.symbol}`
        : `${currency.symbol}\u00a0${amount}`;
}

// what a figure that cannot be computed shows (the server sends null)
export const UNKNOWN = "–";

export function formatDays(value) {
    if (value === null || value === undefined) {
        return UNKNOWN;
    }
    return _t("%(days)s days", { days: formatFloat(value, { digits: [69, 1] }) });
}

export function formatPercent(value) {
    if (value === null || value === undefined) {
        return UNKNOWN;
    }
    // the server sends percentages on the 0-100 scale
    return `${formatFloat(value, { digits: [69, 1] })}%`;
}

export function formatFigure(figure, currency) {
    if (figure.value === null || figure.value === undefined) {
        return UNKNOWN;
    }
    switch (figure.kind) {
        case "monetary":
            return formatMoney(figure.value, currency);
        case "days":
            return formatDays(figure.value);
        case "percent":
            return formatPercent(figure.value);
        default:
            return formatInteger(figure.value || 0);
    }
}

export function formatServerDate(value) {
    return value ? formatDate(deserializeDate(value)) : "";
}

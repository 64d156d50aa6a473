import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ask, makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";

/**
 * The amount of the order paid on Customer Account (a 'pay_later' method).
 */
export function creditOnAccountAmount(order) {
    return order.payment_ids
        .filter((line) => line.payment_method_id?.type === "pay_later" && !line.is_change)
        .reduce((total, line) => total + line.getAmount(), 0);
}

// the check running for each order (by uuid): the validation waits for the
// check of a payment line just added, and its approval
const pendingChecks = new Map();

/**
 * Ask the server whether the order's customer may buy its Customer Account
 * amount. Resolves to true when the order may go on: nothing on account, no
 * customer, credit control agrees, a Point of Sale manager approved it with a
 * reason, or the server cannot be reached (it checks again when the order
 * reaches it, and flags the order). Otherwise the refusal is shown, with the
 * credit figures, and it resolves to false. A cash or card sale makes no call.
 */
export function creditCheckCustomerAccount(pos, order) {
    const uuid = order.uuid;
    const previous = pendingChecks.get(uuid) || Promise.resolve(true);
    const check = previous.then(() => checkCustomerAccount(pos, order));
    pendingChecks.set(uuid, check);
    check.finally(() => {
        if (pendingChecks.get(uuid) === check) {
            pendingChecks.delete(uuid);
        }
    });
    return check;
}

async function checkCustomerAccount(pos, order) {
    if (order.credit_pos_approval_reason) {
        return true;
    }
    const partner = order.getPartner();
    const amount = creditOnAccountAmount(order);
    if (!partner || amount <= 0) {
        return true;
    }
    let result;
    try {
        result = await pos.data.call("res.partner", "credit_pos_check", [
            [partner.id],
            amount,
            pos.config.id,
        ]);
    } catch {
        return true;
    }
    if (!result || result.ok) {
        return true;
    }
    const title = _t("Customer Account refused");
    if (!result.can_approve) {
        pos.dialog.add(AlertDialog, { title, body: result.message });
        return false;
    }
    const approve = await ask(pos.dialog, {
        title,
        body: result.message,
        confirmLabel: _t("Approve"),
        cancelLabel: _t("Cancel"),
    });
    if (!approve) {
        return false;
    }
    const reason = await makeAwaitable(pos.dialog, TextInputPopup, {
        title: _t("Why do you approve this sale on Customer Account?"),
        placeholder: _t("Reason of the approval"),
        rows: 3,
    });
    if (!reason || !reason.trim()) {
        pos.dialog.add(AlertDialog, {
            title,
            body: _t("The approval needs a reason."),
        });
        return false;
    }
    try {
        await pos.data.call("res.partner", "credit_pos_approve", [
            [partner.id],
            amount,
            pos.config.id,
            reason,
        ]);
    } catch (error) {
        pos.dialog.add(AlertDialog, {
            title,
            body: error?.data?.message || _t("The approval was refused."),
        });
        return false;
    }
    order.credit_pos_approval_reason = reason.trim();
    return true;
}

import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { creditCheckCustomerAccount } from "./credit_check";

patch(PaymentScreen.prototype, {
    /**
     * A Customer Account payment line is checked by credit control as soon
     * as it is added: refused, it is taken out again.
     */
    async addNewPaymentLine(paymentMethod) {
        const added = await super.addNewPaymentLine(...arguments);
        if (!added || paymentMethod.type !== "pay_later") {
            return added;
        }
        const order = this.currentOrder;
        const line = this.paymentLines.at(-1);
        if (await creditCheckCustomerAccount(this.pos, order)) {
            return added;
        }
        if (line && order.payment_ids.includes(line)) {
            order.removePaymentline(line);
            this.numberBuffer.reset();
        }
        return false;
    },
});

import { patch } from "@web/core/utils/patch";
import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { creditCheckCustomerAccount } from "./credit_check";

patch(OrderPaymentValidation.prototype, {
    /**
     * At validation, the Customer Account amount (which may have changed
     * since the line was added, or come from a fast payment) is checked again.
     */
    async isOrderValid(isForceValidate) {
        if (!(await super.isOrderValid(...arguments))) {
            return false;
        }
        return await creditCheckCustomerAccount(this.pos, this.order);
    },
});

import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

// A cashier sells to a customer on credit hold: the Customer Account is
// refused with the reason and the figures, the customer pays cash and the
// order is validated. The data is made by tests/test_tours.py, which checks
// the order and its delivery afterwards.
registry.category("web_tour.tours").add("credit_pos_customer_account_refused", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("POS Widget"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Held Customer"),
            ProductScreen.clickPayButton(),
            // a company is invoiced by default: a receipt is enough here
            PaymentScreen.clickInvoiceButton(),
            PaymentScreen.clickPaymentMethod("Customer Account"),
            {
                content: "The refusal names the hold, its reason and the overdue amount",
                trigger:
                    '.modal .modal-header:contains("Customer Account refused")',
            },
            {
                content: "It reads like a quotation's refusal",
                trigger:
                    '.modal .modal-body:contains("customer on credit hold since"):contains("insurer withdrew cover"):contains("invoice(s) overdue"):contains("1,250.00")',
            },
            {
                content: "A cashier may not approve it",
                trigger: '.modal .modal-footer:not(:has(button:contains("Approve")))',
            },
            Dialog.confirm("Ok"),
            PaymentScreen.emptyPaymentlines("40.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

// A Point of Sale manager approves the Customer Account with a reason.
registry.category("web_tour.tours").add("credit_pos_customer_account_approved", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("POS Widget"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Held Customer"),
            ProductScreen.clickPayButton(),
            // a company is invoiced by default: a receipt is enough here
            PaymentScreen.clickInvoiceButton(),
            PaymentScreen.clickPaymentMethod("Customer Account"),
            {
                content: "The refusal offers the manager to approve",
                trigger:
                    '.modal .modal-body:contains("customer on credit hold since")',
            },
            Dialog.confirm("Approve"),
            {
                content: "Give the reason",
                trigger: ".modal textarea",
                run: "edit Known customer, pays Friday",
            },
            Dialog.confirm("Apply"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

// Credit control refuses a quotation's confirmation with an error, and
// records the refusal (the "Credit Blocked" ribbon, the note, the tasks) once
// the failing call is rolled back, before the error reaches the browser.
// Reload the quotation then, so that the ribbon and the task show at once,
// not after the user reloads the page.
patch(FormController.prototype, {
    async afterExecuteActionButton(clickParams) {
        await super.afterExecuteActionButton(...arguments);
        const record = this.model.root;
        if (
            this.props.resModel === "sale.order" &&
            clickParams.name === "action_confirm" &&
            record.resId &&
            ["draft", "sent"].includes(record.data.state)
        ) {
            await record.load();
        }
    },
});

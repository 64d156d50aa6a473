from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False):
        """A language installed after the addon reaches the segments of every
        company, not only the shipped ones of the main company."""
        result = super()._load_module_terms(modules, langs, overwrite=overwrite)
        if "credit_dunning" in modules and "credit.segment" in self.env:
            # five per company
            Segment = self.env["credit.segment"].sudo().with_context(active_test=False)
            segments = Segment.search([])  # pylint: disable=no-search-all
            segments._copy_shipped_translations()
        return result

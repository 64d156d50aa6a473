"""Record something once the current transaction is rolled back.

The same idea as sale.order's ``_credit_park_after_rollback`` in
credit_dunning (see that docstring for why it works so: a new cursor, the
HTTP request out of sight, only the context keys that say who and where),
written for any model and method so that it could move into credit_dunning
and serve both."""

import contextlib
import logging

from odoo import api, http

_logger = logging.getLogger(__name__)

CONTEXT_KEYS = ("lang", "tz", "allowed_company_ids")


def call_after_rollback(records, method, *args):
    """Call ``records.<method>(*args)`` in a transaction of its own once the
    current one is rolled back (e.g. by the UserError about to be raised)."""
    env = records.env
    dbname, uid, model, ids = env.cr.dbname, env.uid, records._name, records.ids
    context = {key: env.context[key] for key in CONTEXT_KEYS if key in env.context}

    def run():
        from odoo.modules.registry import Registry  # noqa: PLC0415

        with contextlib.ExitStack() as stack:
            if http.request:
                stack.enter_context(http.borrow_request())
            try:
                with Registry(dbname).cursor() as cr:
                    new_env = api.Environment(cr, uid, context)
                    getattr(new_env[model].browse(ids).exists(), method)(*args)
            except Exception:
                _logger.exception("Could not record %s on %s%s", method, model, ids)

    env.cr.postrollback.add(run)

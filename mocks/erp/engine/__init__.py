"""The ERP engine, shared by every ERP dialect: items, locations, customers, stock per
location, sales invoices, credit memos and item journals on SQLAlchemy Core tables; the
capacity model; the engine's settings; and ``create_erp_app``, which wires all of it onto
``mocks.core`` under one dialect (``mocks.erp.bc`` is the first).

The state machines (``documents``, ``journals``, ``catalog``, ``stock``) take a connection
and plain inputs (``DocumentInput``, ``LineInput``, ``JournalLineInput``) and raise
``ErpError``s; they know no HTTP and no vendor field names.
"""

from mocks.erp.engine.app import ErpDialect, ErpState, create_erp_app, erp_state
from mocks.erp.engine.capacity import CapacityModel
from mocks.erp.engine.errors import Conflict, ErpError, Invalid, NotFound, PreconditionFailed
from mocks.erp.engine.journals import JournalLineInput
from mocks.erp.engine.model import DocKind, DocumentInput, Duplicates, LineInput, Policy, Posting
from mocks.erp.engine.seed import DEFAULT_CUSTOMER, load_catalog
from mocks.erp.engine.settings import BatchSettings, ErpSettings, WindowSettings
from mocks.erp.engine.tables import erp_metadata

__all__ = [
    "DEFAULT_CUSTOMER",
    "BatchSettings",
    "CapacityModel",
    "Conflict",
    "DocKind",
    "DocumentInput",
    "Duplicates",
    "ErpDialect",
    "ErpError",
    "ErpSettings",
    "ErpState",
    "Invalid",
    "JournalLineInput",
    "LineInput",
    "NotFound",
    "Policy",
    "Posting",
    "PreconditionFailed",
    "WindowSettings",
    "create_erp_app",
    "erp_metadata",
    "erp_state",
    "load_catalog",
]

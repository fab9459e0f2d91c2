"""The ERP engine: items, locations, customers, stock per location, sales invoices, credit
memos and item journals, on SQLAlchemy Core tables. No HTTP here; dialects wrap it."""

from mocks.erp.engine.errors import Conflict, ErpError, Invalid, NotFound, PreconditionFailed
from mocks.erp.engine.journals import JournalLineInput
from mocks.erp.engine.model import DocKind, DocumentInput, Duplicates, LineInput, Policy
from mocks.erp.engine.seed import DEFAULT_CUSTOMER, load_catalog
from mocks.erp.engine.tables import erp_metadata

__all__ = [
    "DEFAULT_CUSTOMER",
    "Conflict",
    "DocKind",
    "DocumentInput",
    "Duplicates",
    "ErpError",
    "Invalid",
    "JournalLineInput",
    "LineInput",
    "NotFound",
    "Policy",
    "PreconditionFailed",
    "erp_metadata",
    "load_catalog",
]

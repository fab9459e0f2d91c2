"""Every table of the contract by name, in the order the documentation lists them."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pyarrow as pa

from domain.rundir import erp, harness, journals, pos, samples, truth
from domain.rundir._model import Need, Producer, Table
from domain.rundir.errors import ContractError

__all__ = ["LIVE_TABLES", "REQUIRED", "TABLES", "table"]

TABLES: Mapping[str, Table] = MappingProxyType(
    {
        t.name: t
        for t in (
            *truth.TRUTH,
            harness.DRIVER_SENT,
            harness.FAULTS,
            journals.POS_JOURNAL,
            journals.ERP_JOURNAL,
            pos.POS_WEBHOOKS,
            pos.POS_ORDERS,
            pos.POS_CATALOG,
            pos.POS_CUSTOMERS,
            erp.ERP_DOCUMENTS,
            erp.ERP_DOCUMENT_LINES,
            erp.ERP_CUSTOMERS,
            erp.ERP_ITEMS,
            erp.PRICE_CHANGES,
            samples.STOCK,
            samples.DRIFT,
            samples.CONNECTOR,
            samples.PRICES,
            samples.ERP_SAMPLES,
        )
    }
)
"""Every table a run directory can hold, by name (``truth/transactions``)."""

REQUIRED: tuple[str, ...] = tuple(
    name for name, t in TABLES.items() if t.verification is Need.REQUIRED
)
"""Tables verification cannot do without."""

LIVE_TABLES: Mapping[str, pa.Schema] = MappingProxyType(
    {
        name: t.schema_for(Producer.LIVE)
        for name, t in TABLES.items()
        if Producer.LIVE in t.producers
    }
)
"""Arrow schema of every table the live harness writes itself (the journals are the
mocks')."""


def table(name: str) -> Table:
    """The table called ``name`` (``erp/documents``); `ContractError` if there is none."""
    found = TABLES.get(name)
    if found is None:
        raise ContractError(
            name, "not a table of the run-directory contract; docs/run-tables.md lists them"
        )
    return found

"""Schemas of the tables a live run writes (see the run-directory layout in the README)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["LIVE_TABLES", "write_table"]

_F64 = pa.float64()
_STR = pa.string()
_I64 = pa.int64()

SENT = pa.schema(
    [
        ("txn_id", _STR),
        ("kind", _STR),
        ("store_id", _STR),
        ("due_t", _F64),
        ("due_wall", _F64),
        ("sent_wall", _F64),
        ("acked_wall", _F64),
        ("lag_s", _F64),
        ("status", pa.int32()),
        ("offline", pa.bool_()),
        ("attempts", pa.int32()),
    ]
)
"""driver/sent.parquet. ``due_wall`` is when the driver was due to send (for a sale
buffered by an offline store: the end of the window); ``due_t`` the original sim time."""

FAULTS = pa.schema(
    [
        ("id", _STR),
        ("target", _STR),
        ("kind", _STR),
        ("start_t", _F64),
        ("end_t", _F64),
        ("start_wall", _F64),
        ("end_wall", _F64),
        ("params", _STR),
    ]
)
WEBHOOKS = pa.schema(
    [
        ("event_id", _STR),
        ("event_type", _STR),
        ("attempt", pa.int32()),
        ("status", pa.int32()),
        ("sent_wall", _F64),
        ("latency_ms", _F64),
        ("fault", _STR),
        ("outcome", _STR),
        ("error", _STR),
    ]
)
"""pos/webhooks.parquet: one row per delivery attempt; ``fault`` is the injected fault
(duplicate, drop, reorder) or null; ``outcome`` the mock's own word (delivered, failed,
dropped, held, duplicate-delivered …)."""
ORDERS = pa.schema(
    [
        ("order_id", _STR),
        ("reference_id", _STR),
        ("location_id", _STR),
        ("state", _STR),
        ("total_minor", _I64),
        ("tax_minor", _I64),
        ("note", _STR),
        ("created_at", _STR),
        ("updated_at", _STR),
    ]
)
DOCUMENTS = pa.schema(
    [
        ("document_id", _STR),
        ("kind", _STR),
        ("external_document_number", _STR),
        ("number", _STR),
        ("store_id", _STR),
        ("status", _STR),
        ("total_minor", _I64),
        ("tax_minor", _I64),
        ("currency", _STR),
        ("created_wall", _F64),
        ("committed_t", _F64),
    ]
)
DOCUMENT_LINES = pa.schema(
    [
        ("document_id", _STR),
        ("line_no", pa.int32()),
        ("sku", _STR),
        ("quantity", _F64),
        ("unit_price_minor", _I64),
        ("discount_minor", _I64),
        ("tax_minor", _I64),
        ("description", _STR),
    ]
)
CUSTOMERS = pa.schema([("id", _STR), ("number", _STR), ("name", _STR), ("email", _STR)])
ITEMS = pa.schema([("sku", _STR), ("unit_price_minor", _I64), ("name", _STR)])
CATALOG = pa.schema([("sku", _STR), ("price_minor", _I64), ("name", _STR)])
STOCK = pa.schema(
    [
        ("sample_id", pa.int32()),
        ("t", _F64),
        ("wall", _F64),
        ("store_id", _STR),
        ("sku", _STR),
        ("pos_qty", _F64),
        ("erp_qty", _F64),
    ]
)
CONNECTOR = pa.schema(
    [
        ("t", _F64),
        ("wall", _F64),
        ("backlog", _F64),
        ("posted", _F64),
        ("retries", _F64),
        ("dead_letters", _F64),
        ("erp_calls", _F64),
        ("erp_status_503", _F64),
        ("erp_retries", _F64),
    ]
)
"""samples/connector.parquet: the connector's ``GET /metrics`` counters per sample (null
when the connector does not report one; the ``erp_*`` counters come from connectors that
talk to a real ERP, e.g. Tryton)."""
PRICE_CHANGES = pa.schema(
    [
        ("sku", _STR),
        ("t", _F64),
        ("wall", _F64),
        ("unit_price_minor", _I64),
        ("kind", _STR),
        ("error", _STR),
    ]
)
"""erp/price_changes.parquet: ERP-side price changes and new items as the harness made
them (``t``/``wall``: when the ERP acknowledged; ``error`` when it refused)."""
PRICES = pa.schema(
    [
        ("sku", _STR),
        ("kind", _STR),
        ("unit_price_minor", _I64),
        ("erp_t", _F64),
        ("erp_wall", _F64),
        ("pos_t", _F64),
        ("pos_wall", _F64),
    ]
)
"""samples/prices.parquet: ERP → POS price sync; ``pos_t`` is the first sample in which
the POS catalogue showed the ERP's new price (null: never during the run)."""
POS_CUSTOMERS = pa.schema([("id", _STR), ("name", _STR), ("email", _STR), ("reference_id", _STR)])

LIVE_TABLES: dict[str, pa.Schema] = {
    "driver/sent": SENT,
    "faults": FAULTS,
    "pos/webhooks": WEBHOOKS,
    "pos/orders": ORDERS,
    "pos/catalog": CATALOG,
    "pos/customers": POS_CUSTOMERS,
    "erp/documents": DOCUMENTS,
    "erp/document_lines": DOCUMENT_LINES,
    "erp/customers": CUSTOMERS,
    "erp/items": ITEMS,
    "erp/price_changes": PRICE_CHANGES,
    "samples/stock": STOCK,
    "samples/connector": CONNECTOR,
    "samples/prices": PRICES,
}
"""Every table the harness writes (journals are the mocks' own JOURNAL_SCHEMA)."""


def write_table(run_dir: Path, name: str, rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write ``rows`` as ``run_dir/<name>.parquet`` with the schema of ``name``."""
    schema = LIVE_TABLES[name]
    path = run_dir / f"{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    columns: dict[str, list[Any]] = {field.name: [] for field in schema}
    for row in rows:
        for field in schema:
            columns[field.name].append(row.get(field.name))
    pq.write_table(pa.table(columns, schema=schema), path)
    return path

"""Export the webhook delivery log as a run table (Parquet, one row per delivery attempt)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from mocks.core import Database
from mocks.pos.engine import outbox
from mocks.pos.engine.settings import PosSettings
from mocks.pos.engine.store import PosStore

DELIVERY_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("sent_at", pa.timestamp("ms", tz="UTC")),
        ("event_id", pa.string()),
        ("event_type", pa.string()),
        ("subscription_id", pa.string()),
        ("attempt", pa.int32()),
        ("outcome", pa.string()),
        ("status_code", pa.int16()),
        ("latency_ms", pa.float64()),
        ("error", pa.string()),
    ]
)
"""Columns of the delivery table. `outcome`: delivered, failed, duplicate-delivered,
duplicate-failed, dropped (fault), held (reorder/delay fault); `status_code` is null when
no HTTP answer came back."""


def export_deliveries(db: Database, path: str | Path) -> int:
    """Write the delivery log of the POS database `db` to Parquet at `path`; returns rows."""
    store = PosStore(db=db.engine, settings=PosSettings(db_url=db.url))
    rows = outbox.delivery_log(store, limit=10**9)
    columns = {name: [row[name] for row in rows] for name in DELIVERY_SCHEMA.names}
    columns["sent_at"] = [
        datetime.fromisoformat(value.replace("Z", "+00:00")) for value in columns["sent_at"]
    ]
    table = pa.table(columns, schema=DELIVERY_SCHEMA)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, target)
    return int(table.num_rows)

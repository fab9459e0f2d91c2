"""`ingest`: one register transaction applied by its kind (see `mocks.pos.engine.ingest`)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.ids import stable_id
from mocks.pos.engine.ingest import returns, sales
from mocks.pos.engine.locations import ensure_location
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import orders as orders_table
from mocks.pos.engine.transactions import Transaction

__all__ = ["ingest"]

Record = dict[str, Any]


def ingest(conn: sa.Connection, store: PosStore, txn: Transaction, *, path: str) -> Record:
    """Apply one transaction; returns {txn_id, status, order_id}."""
    order_id = stable_id("order", txn.txn_id)
    exists = conn.execute(
        sa.select(orders_table.c.id).where(orders_table.c.source_txn_id == txn.txn_id)
    ).first()
    if exists is not None:
        return {"txn_id": txn.txn_id, "status": "exists", "order_id": exists.id}
    ensure_location(conn, store, txn.store_id, f"Store {txn.store_id}")
    handler = {
        "sale": sales.sale,
        "return": returns.return_,
        "cancel": sales.cancel,
        "post_void": returns.post_void,
    }
    handler[txn.kind](conn, store, txn, order_id, path)
    return {"txn_id": txn.txn_id, "status": "created", "order_id": order_id}

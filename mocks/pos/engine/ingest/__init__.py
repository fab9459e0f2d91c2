"""Ingestion of register transactions: what the real POS does when a till completes one.

- sale: a COMPLETED order (lines at the register's prices, discounts and tax), one
  COMPLETED payment per tender, IN_STOCK → SOLD at the completion time.
- return: a COMPLETED return order (`returns[].return_line_items`), refunds to the original
  payments when receipted (unlinked otherwise), NONE → IN_STOCK for the returned units.
- cancel: a CANCELED order; no money, no stock.
- post_void: the voided sale is returned in full (refunds of its payments, stock back) and
  the original order is annotated.

Ids are derived from `txn_id`, so a replayed transaction is recognised (status `exists`)
and nothing happens twice. Card refunds start PENDING and settle asynchronously.
"""

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

"""A cache that lives as long as one database transaction (lookups repeated by every sale of a
batch, such as SKU → variation, or who subscribes to an event type)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

_SLOT = "tillbench.pos.txcache"


def tx_cache(conn: sa.Connection) -> dict[str, Any]:
    """The cache of the connection's current transaction (empty for a new transaction)."""
    transaction = conn.get_transaction()
    slot = conn.info.get(_SLOT)
    if slot is None or slot[0] is not transaction:
        slot = (transaction, {})
        conn.info[_SLOT] = slot
    cache: dict[str, Any] = slot[1]
    return cache


def forget(conn: sa.Connection, name: str) -> None:
    """Drop one entry (after a write that changes what it caches)."""
    tx_cache(conn).pop(name, None)

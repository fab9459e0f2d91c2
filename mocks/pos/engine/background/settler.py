"""Settle due PENDING payments and refunds (the asynchronous half of their life cycle)."""

from __future__ import annotations

from mocks.pos.engine import payments, refunds
from mocks.pos.engine.store import PosStore


def settle_due(store: PosStore) -> int:
    """Complete every payment and refund whose settle time has passed; returns how many."""
    with store.db.begin() as conn:
        count = payments.settle_due_payments(conn, store)
        count += refunds.settle_due_refunds(conn, store)
    return count

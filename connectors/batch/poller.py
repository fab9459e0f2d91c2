"""Polling the POS for completed orders since a stored cursor.

Batch mode's main loop, and the real-time connector's safety net for webhooks that never
arrive (its sweep). The cursor is the newest ``updated_at`` handled; the POS adapter
re-reads an overlap before it (list endpoints are eventually consistent, concurrent writes
commit out of order) and the ``seen`` table skips what was already queued.
"""

from __future__ import annotations

import logging

from connectors.core.documents import PosOrder
from connectors.core.intake import Intake

log = logging.getLogger("connector.poller")


class OrderPoller:
    """Finds completed orders not yet queued."""

    def __init__(self, *, intake: Intake, cursor_name: str) -> None:
        self.intake = intake
        self.cursor_name = cursor_name

    def fetch(self) -> tuple[list[PosOrder], str | None]:
        """Completed orders since the cursor (with overlap) and the newest ``updated_at``."""
        cursor = self.intake.store.cursor(self.cursor_name)
        orders = self.intake.pos.completed_orders(cursor)
        newest = max((o.updated_at for o in orders), default="") or cursor
        return orders, newest

    def poll(self) -> int:
        """Queue every completed order not queued before and move the cursor; returns how
        many postings were added."""
        orders, newest = self.fetch()
        cursor = (self.cursor_name, newest) if newest else None
        return self.intake.queue(orders, cursor=cursor)

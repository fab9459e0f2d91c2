"""Polling the POS for COMPLETED orders since a stored cursor.

Batch mode's main loop, and the real-time connector's safety net for webhooks that never
arrive. The cursor is the newest ``updated_at`` handled; each poll re-reads an overlap
before it (list endpoints are eventually consistent, concurrent writes commit out of order)
and the ``seen`` table skips what was already queued.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from connectors.common.intake import Intake
from connectors.common.pos import PosClient

log = logging.getLogger("connector.poller")

OVERLAP = timedelta(seconds=30)
"""How far before the cursor each poll starts again (POS time; the mock POS and Square stamp
``updated_at`` with the wall clock). Covers commit reordering and search-index lag."""


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _format(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def rewind(cursor: str | None, overlap: timedelta = OVERLAP) -> str | None:
    """Where the next search starts: ``overlap`` before the cursor."""
    if not cursor:
        return None
    return _format(_parse(cursor) - overlap)


class OrderPoller:
    """Finds completed orders not yet queued."""

    def __init__(self, *, pos: PosClient, intake: Intake, cursor_name: str) -> None:
        self.pos = pos
        self.intake = intake
        self.cursor_name = cursor_name
        self._locations: list[str] = []

    def fetch(self) -> tuple[list[dict[str, Any]], str | None]:
        """Completed orders since the cursor (with overlap) and the newest ``updated_at``."""
        if not self._locations:
            self._locations = self.pos.location_ids()
        else:
            self._locations = self.pos.location_ids() or self._locations
        cursor = self.intake.store.cursor(self.cursor_name)
        start = rewind(cursor)
        orders = list(self.pos.completed_orders_since(self._locations, start))
        newest = max((str(o.get("updated_at") or "") for o in orders), default="") or cursor
        return orders, newest

    def poll(self) -> int:
        """Queue every completed order not queued before and move the cursor; returns how
        many postings were added."""
        orders, newest = self.fetch()
        cursor = (self.cursor_name, newest) if newest else None
        return self.intake.queue(orders, cursor=cursor)

"""Real-time intake: webhook events from the inbox → the orders they name → outbox.

Order events whose order is COMPLETED are fetched (BatchRetrieveOrders) and mapped; other
events are marked done. The absolute-stock planted bug also copies POS counts from
``inventory.count.updated`` events to the ERP here.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from connectors.common.errors import ConnectorError
from connectors.common.http import Stopping
from connectors.common.intake import Intake
from connectors.common.pos import PosClient
from connectors.common.state import StateStore

log = logging.getLogger("connector.events")

ORDER_EVENTS = ("order.created", "order.updated")
CountHandler = Callable[[Sequence[dict[str, Any]]], None]


def completed_order_id(event_type: str, object_id: str | None, body: str) -> str | None:
    """The order id of an order event that reports the order COMPLETED."""
    if event_type not in ORDER_EVENTS or not object_id:
        return None
    try:
        obj = (json.loads(body).get("data") or {}).get("object") or {}
    except ValueError:
        return None
    detail = obj.get("order_created") or obj.get("order_updated") or {}
    state = detail.get("state")
    return object_id if state in (None, "COMPLETED") else None


def counts_of(body: str) -> list[dict[str, Any]]:
    """The inventory counts an ``inventory.count.updated`` event carries."""
    try:
        obj = (json.loads(body).get("data") or {}).get("object") or {}
    except ValueError:
        return []
    return list(obj.get("inventory_counts") or [])


class EventProcessor:
    """Drains the inbox in arrival order."""

    def __init__(
        self,
        *,
        store: StateStore,
        pos: PosClient,
        intake: Intake,
        stop: threading.Event,
        on_queued: Callable[[], None],
        on_counts: CountHandler | None = None,
    ) -> None:
        self.store = store
        self.pos = pos
        self.intake = intake
        self.stop = stop
        self.on_queued = on_queued
        self.on_counts = on_counts
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="events", daemon=True)

    def join(self, timeout: float) -> None:
        """Wait for the thread after ``stop`` was set."""
        self.thread.join(timeout)

    def start(self) -> None:
        """Start draining."""
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            events = self.store.pending_events(200)
            if not events:
                self.wake.wait(0.05)
                self.wake.clear()
                continue
            try:
                self.handle(events)
            except Stopping:
                return
            except ConnectorError as error:
                log.warning("events not processed yet, retrying: %s", error)
                self.stop.wait(0.5)

    def handle(self, events: Sequence[tuple[str, str, str | None, str]]) -> int:
        """Process one slice of events; returns how many postings were queued."""
        wanted: list[str] = []
        counts: list[dict[str, Any]] = []
        for _event_id, event_type, object_id, body in events:
            order_id = completed_order_id(event_type, object_id, body)
            if order_id is not None:
                wanted.append(order_id)
            elif event_type == "inventory.count.updated" and self.on_counts is not None:
                counts.extend(counts_of(body))
        fresh = sorted(self.store.unseen(wanted))
        orders = self.pos.orders(fresh) if fresh else []
        if counts and self.on_counts is not None:
            self.on_counts(counts)
        added = self.intake.queue(orders, events_done=[e[0] for e in events])
        if added:
            self.on_queued()
        return added

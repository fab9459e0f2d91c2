"""Real-time intake: webhook events from the inbox → the orders they name → outbox.

The POS adapter says which events report a completed order (`PosAdapter.order_ids`); those
orders are fetched in their current state and mapped, and every event of the slice is
marked done in the same state transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from connectors.core.errors import ConnectorError
from connectors.core.http import Stopping
from connectors.core.intake import Intake
from connectors.core.state import InboxEvent, StateStore
from connectors.pos import PosAdapter

log = logging.getLogger("connector.events")


class EventProcessor:
    """Drains the inbox in arrival order."""

    def __init__(
        self,
        *,
        store: StateStore,
        pos: PosAdapter,
        intake: Intake,
        stop: threading.Event,
        on_queued: Callable[[], None],
    ) -> None:
        self.store = store
        self.pos = pos
        self.intake = intake
        self.stop = stop
        self.on_queued = on_queued
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

    def handle(self, events: Sequence[InboxEvent]) -> int:
        """Process one slice of events; returns how many postings were queued."""
        wanted = self.pos.order_ids(events)
        fresh = sorted(self.store.unseen(wanted))
        orders = self.pos.orders(fresh) if fresh else []
        added = self.intake.queue(orders, events_done=[e[0] for e in events])
        if added:
            self.on_queued()
        return added

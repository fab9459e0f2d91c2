"""The realtime mode's workers: webhook events → inbox → orders → outbox → a pool of
posters, one document at a time (a backlog through the ERP's batch path); a sweep every
``interval`` that polls for completed orders whose webhooks never came
(`connectors.batch.poller`); a poll of non-sale POS stock changes every `STOCK_POLL`
seconds."""

from __future__ import annotations

import random
import threading
from typing import TYPE_CHECKING

from connectors.batch.poller import OrderPoller
from connectors.core.loops import every
from connectors.core.stock_changes import StockChangeSync
from connectors.realtime.poster import Poster
from connectors.realtime.processor import EventProcessor

if TYPE_CHECKING:
    from connectors.core.runtime import Connector

STOCK_POLL = 1.0
"""Seconds between two polls of the POS for non-sale stock changes."""


def poster(connector: Connector, **only: tuple[str, ...]) -> Poster:
    """The ERP posting workers, configured from the contract's settings (``kinds``: the
    outbox kinds they take, all by default)."""
    integration = connector.env.integration
    return Poster(
        store=connector.store,
        erp=connector.erp,
        policy=integration.retry,
        workers=integration.workers,
        metrics=connector.metrics,
        stop=connector.stop,
        rng=random.Random(connector.rng.random()),
        settle=integration.settle_seconds,
        drain_at=integration.drain_at,
        max_batch=integration.max_batch,
        **only,
    )


def stock_loop(connector: Connector, posting: Poster) -> threading.Thread:
    """The thread that queues non-sale POS stock changes and wakes ``posting``."""
    stock = StockChangeSync(store=connector.store, pos=connector.pos, erp=connector.erp)

    def step() -> None:
        if stock.poll():
            posting.wake.set()

    return every("stock-changes", STOCK_POLL, connector.stop, step)


def assemble(connector: Connector) -> threading.Event:
    """Add the realtime workers; returns the event the webhook sink sets."""
    intake = connector.intake()
    posting = poster(connector)
    processor = EventProcessor(
        store=connector.store,
        pos=connector.pos,
        intake=intake,
        stop=connector.stop,
        on_queued=posting.wake.set,
    )
    poller = OrderPoller(intake=intake, cursor_name="sweep")

    def sweep() -> None:
        if poller.poll():
            posting.wake.set()

    connector.threads += [
        processor,
        posting,
        every("sweep", connector.env.integration.interval, connector.stop, sweep),
        stock_loop(connector, posting),
    ]
    return processor.wake

"""The batch mode's worker: every ``interval``, poll completed orders since the stored
cursor (and non-sale stock changes), queue them and drain the outbox in batches; the order
cursor moves only once everything queued has committed."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from connectors.batch.batcher import Batcher
from connectors.batch.poller import OrderPoller
from connectors.core.documents import CREDIT_MEMO, INVOICE, JOURNAL
from connectors.core.intake import Intake
from connectors.core.loops import every
from connectors.core.stock_changes import StockChangeSync

if TYPE_CHECKING:
    import threading

    from connectors.core.runtime import Connector


def add_batches(
    connector: Connector,
    intake: Intake,
    *,
    kinds: tuple[str, ...] = (INVOICE, CREDIT_MEMO, JOURNAL),
) -> None:
    """Add the batch loop over ``intake`` posting the outbox ``kinds``."""
    integration = connector.env.integration
    batcher = Batcher(
        store=connector.store,
        erp=connector.erp,
        policy=integration.retry,
        max_batch=integration.max_batch,
        metrics=connector.metrics,
        stop=connector.stop,
        rng=random.Random(connector.rng.random()),
        settle=integration.settle_seconds,
        kinds=kinds,
    )
    poller = OrderPoller(intake=intake, cursor_name="orders")
    stock = StockChangeSync(store=connector.store, pos=connector.pos, erp=connector.erp)

    def cycle() -> None:
        orders, newest = poller.fetch()
        intake.queue(orders)
        if JOURNAL in kinds:
            stock.poll()
        if batcher.drain() and newest:
            connector.store.set_cursor("orders", newest)

    connector.threads.append(every("batch", integration.interval, connector.stop, cycle))


def assemble(connector: Connector) -> threading.Event | None:
    """Add the batch loop; webhooks are ignored (returns None)."""
    add_batches(connector, connector.intake())
    return None

"""The hybrid mode's workers: stock in real time (each sale or return queues, at once, a
stock posting of its lines for the realtime posters), documents batched (the batch loop of
`connectors.batch`), each carrying the stock payloads that reverse its real-time ones so
that the ERP commits both in one transaction (`connectors.hybrid.intake`).

Only for an ERP adapter with ``atomic_reversals``: otherwise stock would move twice or not
at all between the two commits, and the connector refuses to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectors.batch.mode import add_batches
from connectors.core.documents import CREDIT_MEMO, INVOICE, JOURNAL
from connectors.core.errors import ConfigError
from connectors.hybrid.intake import HybridIntake
from connectors.realtime.mode import poster, stock_loop
from connectors.realtime.processor import EventProcessor

if TYPE_CHECKING:
    import threading

    from connectors.core.runtime import Connector


def assemble(connector: Connector) -> threading.Event:
    """Add the hybrid workers; returns the event the webhook sink sets."""
    if not connector.erp.atomic_reversals:
        raise ConfigError(
            "TILLBENCH_ERP_KIND",
            connector.env.erp_kind,
            "the hybrid mode needs Business Central (documents and the journal lines that "
            "reverse real-time stock commit in one $batch); use realtime or batch",
        )
    intake = HybridIntake(
        store=connector.store,
        pos=connector.pos,
        erp=connector.erp,
        mapper=connector.mapper,
        metrics=connector.metrics,
    )
    posting = poster(connector, kinds=(JOURNAL,))
    processor = EventProcessor(
        store=connector.store,
        pos=connector.pos,
        intake=intake,
        stop=connector.stop,
        on_queued=posting.wake.set,
    )
    add_batches(connector, intake, kinds=(INVOICE, CREDIT_MEMO))
    connector.threads += [processor, posting, stock_loop(connector, posting)]
    return processor.wake

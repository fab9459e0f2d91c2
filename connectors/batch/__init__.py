"""The batch reference connector: ``python -m connectors.batch`` (see CONTRACT.md).

`OrderPoller` finds completed orders since a stored cursor (the realtime mode's sweep uses
it too); `Batcher` posts the outbox in batches of at most ``max_batch``; `mode.assemble`
runs both every ``interval``.
"""

from connectors.batch.batcher import Batcher
from connectors.batch.mode import assemble
from connectors.batch.poller import OrderPoller

__all__ = ["Batcher", "OrderPoller", "assemble"]

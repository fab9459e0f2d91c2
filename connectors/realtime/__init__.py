"""The realtime reference connector: ``python -m connectors.realtime`` (see CONTRACT.md).

Webhook events go to the durable inbox; `EventProcessor` fetches the orders they name and
queues their documents; `Poster` posts them from a small pool of workers, one document at a
time, or a backlog in one round of the ERP's batch path, all held back together by a
`Breaker` while the ERP refuses work; `mode.assemble` adds them, a sweep for lost webhooks
and the stock-change poll to a connector.
"""

from connectors.realtime.breaker import Breaker
from connectors.realtime.mode import assemble
from connectors.realtime.poster import Poster
from connectors.realtime.processor import EventProcessor

__all__ = ["Breaker", "EventProcessor", "Poster", "assemble"]

"""Background work of the POS app: webhook deliveries and payment/refund settlement."""

from mocks.pos.engine.background.dispatcher import (
    Dispatcher,
    FaultSource,
    WebhookBody,
    WebhookHeaders,
)
from mocks.pos.engine.background.settler import settle_due

__all__ = ["Dispatcher", "FaultSource", "WebhookBody", "WebhookHeaders", "settle_due"]

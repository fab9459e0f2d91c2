"""Background work of the POS app: webhook deliveries and payment/refund settlement."""

from mocks.pos.engine.background.dispatcher import Dispatcher, FaultSource, WebhookHeaders
from mocks.pos.engine.background.settler import settle_due

__all__ = ["Dispatcher", "FaultSource", "WebhookHeaders", "settle_due"]

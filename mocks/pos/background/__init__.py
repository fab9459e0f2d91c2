"""Background work of the POS app: webhook deliveries and payment/refund settlement."""

from mocks.pos.background.dispatcher import Dispatcher, FaultSource
from mocks.pos.background.settler import settle_due

__all__ = ["Dispatcher", "FaultSource", "settle_due"]

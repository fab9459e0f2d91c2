"""The POS engine, shared by every POS dialect.

State and rules on SQLAlchemy Core tables, no HTTP: locations, catalogue, customers, orders
and their pricing, payments and refunds with settlement, stock ledgers (physical counts and
adjustments sequenced by `occurred_at`), idempotency keys and the transactional webhook
outbox. Around them, the doors every dialect shares: the driver's ingestion
(`driver/`), the POS admin routes (`admin.py`), background delivery and settlement
(`background/`), the delivery-log export, and `create_pos_app` (engine + dialect → app).

The records the engine stores and emits are shaped like Square's objects (the first
dialect); another dialect maps them to its vendor's shapes at its edge.
"""

from mocks.pos.engine.app import PosDialect, create_pos_app
from mocks.pos.engine.background import WebhookHeaders
from mocks.pos.engine.errors import (
    Forbidden,
    IdempotencyKeyReused,
    InvalidRequest,
    NotFound,
    PosError,
    RateLimited,
    RefundRejected,
    Unauthorized,
    VersionMismatch,
)
from mocks.pos.engine.export import DELIVERY_SCHEMA, export_deliveries
from mocks.pos.engine.outbox import Due
from mocks.pos.engine.settings import PosSettings, WebhookSettings
from mocks.pos.engine.store import PosStore

__all__ = [
    "DELIVERY_SCHEMA",
    "Due",
    "Forbidden",
    "IdempotencyKeyReused",
    "InvalidRequest",
    "NotFound",
    "PosDialect",
    "PosError",
    "PosSettings",
    "PosStore",
    "RateLimited",
    "RefundRejected",
    "Unauthorized",
    "VersionMismatch",
    "WebhookHeaders",
    "WebhookSettings",
    "create_pos_app",
    "export_deliveries",
]

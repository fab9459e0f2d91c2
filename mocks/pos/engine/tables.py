"""SQLAlchemy Core tables of the POS engine.

Objects whose shape is rich (orders, catalog objects, customers, …) keep their full record
as JSON in `data`; the columns beside it are what the engine filters, sorts and locks on.
Timestamps are RFC 3339 UTC strings of one fixed width, so they sort as text on any
database. Stock quantities are integers in 1e-5 units (`quantity_e5`): exact on every
database, five decimal places as Square allows.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

TS = sa.String(32)
ID = sa.String(64)

locations = sa.Table(
    "pos_locations",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
)

catalog_objects = sa.Table(
    "pos_catalog_objects",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("type", sa.String(40), nullable=False, index=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("is_deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("sku", sa.String(255), index=True),
    sa.Column("item_id", ID, index=True),
    sa.Column("data", sa.JSON, nullable=False),
)

catalog_state = sa.Table(
    "pos_catalog_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

customers = sa.Table(
    "pos_customers",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("created_at", TS, nullable=False, index=True),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
)

orders = sa.Table(
    "pos_orders",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("location_id", ID, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("closed_at", TS),
    sa.Column("visible_at", sa.Float, nullable=False),
    sa.Column("source_txn_id", sa.String(128), unique=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_pos_orders_loc_updated", "location_id", "updated_at", "id"),
    sa.Index("ix_pos_orders_loc_created", "location_id", "created_at", "id"),
)

payments = sa.Table(
    "pos_payments",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("order_id", ID, index=True),
    sa.Column("location_id", ID, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("refunded", sa.BigInteger, nullable=False, default=0),
    sa.Column("created_at", TS, nullable=False, index=True),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("settle_at", sa.Float, index=True),
    sa.Column("data", sa.JSON, nullable=False),
)

refunds = sa.Table(
    "pos_refunds",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("payment_id", ID, index=True),
    sa.Column("order_id", ID),
    sa.Column("location_id", ID, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("created_at", TS, nullable=False, index=True),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("settle_at", sa.Float, index=True),
    sa.Column("data", sa.JSON, nullable=False),
)

inventory_changes = sa.Table(
    "pos_inventory_changes",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", ID, nullable=False, unique=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("catalog_object_id", ID, nullable=False),
    sa.Column("location_id", ID, nullable=False),
    sa.Column("from_state", sa.String(32)),
    sa.Column("to_state", sa.String(32)),
    sa.Column("quantity_e5", sa.BigInteger, nullable=False),
    sa.Column("occurred_at", TS, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_pos_inv_changes_obj_loc_time", "catalog_object_id", "location_id", "occurred_at"),
)

inventory_counts = sa.Table(
    "pos_inventory_counts",
    metadata,
    sa.Column("catalog_object_id", ID, primary_key=True),
    sa.Column("location_id", ID, primary_key=True),
    sa.Column("state", sa.String(32), primary_key=True),
    sa.Column("quantity_e5", sa.BigInteger, nullable=False),
    sa.Column("last_occurred_at", TS),
    sa.Column("calculated_at", TS, nullable=False, index=True),
)

webhook_subscriptions = sa.Table(
    "pos_webhook_subscriptions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
)

webhook_events = sa.Table(
    "pos_webhook_events",
    metadata,
    sa.Column("event_id", ID, primary_key=True),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)

webhook_outbox = sa.Table(
    "pos_webhook_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", ID, nullable=False, index=True),
    sa.Column("subscription_id", ID, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("first_at", sa.Float, nullable=False),
    sa.Column("next_at", sa.Float, nullable=False),
    sa.Column("lease_until", sa.Float, nullable=False, default=0.0),
    sa.Column("fault", sa.String(16)),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Index("ix_pos_outbox_due", "status", "next_at"),
)

webhook_deliveries = sa.Table(
    "pos_webhook_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("outbox_id", sa.Integer, nullable=False, index=True),
    sa.Column("event_id", ID, nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("subscription_id", ID, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("sent_at", TS, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Float),
    sa.Column("error", sa.Text),
)

returned_lines = sa.Table(
    "pos_returned_lines",
    metadata,
    sa.Column("source_order_id", ID, primary_key=True),
    sa.Column("line_uid", sa.String(60), primary_key=True),
    sa.Column("quantity_e5", sa.BigInteger, nullable=False),
)

idempotency_keys = sa.Table(
    "pos_idempotency_keys",
    metadata,
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(192), primary_key=True),
    sa.Column("body_hash", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", sa.JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

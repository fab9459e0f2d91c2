"""The POS at the end of the run and its webhook deliveries (``pos/*.parquet``), collected by
the harness through the POS's public and admin APIs."""

from __future__ import annotations

import pyarrow as pa

from domain.rundir._model import EPOCH_S, MINOR, MS, Column, Need, Producer, Table

__all__ = ["POS_CATALOG", "POS_CUSTOMERS", "POS_ORDERS", "POS_WEBHOOKS"]

_S = pa.string()
_I = pa.int64()
_LIVE = (Producer.LIVE, Producer.LOAD)

POS_WEBHOOKS = Table(
    "pos/webhooks",
    "One row per webhook delivery attempt",
    (
        Column("event_id", _S, "webhook event id (same on every attempt)"),
        Column("event_type", _S, "e.g. order.updated"),
        Column("attempt", pa.int32(), "1 for the first delivery", "count"),
        Column("status", pa.int32(), "connector's answer (0 = no answer)", "HTTP status"),
        Column("sent_wall", pa.float64(), "when it was sent", EPOCH_S),
        Column("latency_ms", pa.float64(), "connector's response time", MS),
        Column("fault", _S, "injected fault, if any (duplicate, drop, reorder)"),
        Column(
            "outcome",
            _S,
            "the mock's own word: delivered, failed, dropped, held, duplicate-delivered …",
        ),
        Column("error", _S, "why a delivery failed, if it did"),
    ),
    _LIVE,
)

POS_ORDERS = Table(
    "pos/orders",
    "One row per POS order at the end of the run",
    (
        Column("order_id", _S, "POS order id"),
        Column("reference_id", _S, "= truth txn_id"),
        Column("location_id", _S, "POS location (store)"),
        Column("state", _S, "OPEN | COMPLETED | CANCELED"),
        Column("total_minor", _I, "order total, tax included (a return: the refund)", MINOR),
        Column("tax_minor", _I, "order tax", MINOR),
        Column("note", _S, "free-text note as typed"),
        Column("created_at", _S, "creation at the POS", "ISO 8601"),
        Column("updated_at", _S, "last update at the POS", "ISO 8601"),
    ),
    _LIVE,
    Need.OPTIONAL,
    doc="Verification tells transactions that never reached the POS apart by reference_id.",
)

POS_CATALOG = Table(
    "pos/catalog",
    "One row per SKU in the POS catalogue at the end",
    (
        Column("sku", _S, "SKU"),
        Column("price_minor", _I, "price at the POS", MINOR),
        Column("name", _S, "item variation name"),
    ),
    _LIVE,
)

POS_CUSTOMERS = Table(
    "pos/customers",
    "One row per POS customer at the end",
    (
        Column("id", _S, "POS customer id"),
        Column("name", _S, "given and family name"),
        Column("email", _S, "e-mail"),
        Column("reference_id", _S, "the connector's or the ERP's reference, if any"),
    ),
    _LIVE,
)

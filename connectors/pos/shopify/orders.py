"""Shopify orders and refunds → dialect-neutral documents (`connectors.core.documents`).

A POS order is an Order (``sourceName: "pos"``); a till return is a Refund on the order it
returns from, and creating it updates that order. So every fetch of an order yields up to
two kinds of `PosOrder`: the order itself (a sale, when it has line items) and each of its
refunds (a return). The order's ``name`` without ``#`` is the sale's reference, the
refund's ``return.name`` the return's.

Orders and refunds are read by id in batches (`NODES`, Shopify's ``nodes(ids:)``), sized
under the 1,000-point single-query cap; longer orders page their line items
(`MORE_LINES`) and longer refunds are read again on their own (`REFUND`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from connectors.core.documents import DocumentLine, Payment, PosDocument, PosOrder
from connectors.core.errors import MappingError
from connectors.core.state import InboxEvent
from domain import Currency

MONEY = "shopMoney { amount currencyCode }"
LINE = (
    f"sku name quantity originalUnitPriceSet {{ {MONEY} }} totalDiscountSet {{ {MONEY} }} "
    f"taxLines {{ ratePercentage priceSet {{ {MONEY} }} }}"
)


def refund_fields(lines: int = 30) -> str:
    """The selection of a Refund with its first `lines` refund line items."""
    return f"""
    id createdAt updatedAt note return {{ name }}
    totalRefundedSet {{ {MONEY} }}
    refundLineItems(first: {lines}) {{
      pageInfo {{ hasNextPage }}
      nodes {{ quantity location {{ id }} totalTaxSet {{ {MONEY} }}
        lineItem {{ sku name originalUnitPriceSet {{ {MONEY} }} totalDiscountSet {{ {MONEY} }} }} }}
    }}
"""


def order_fields(lines: int = 50, refund_lines: int = 30) -> str:
    """The selection of an Order with its first `lines` line items and its refunds."""
    return f"""
  id name createdAt updatedAt processedAt closed cancelledAt note currencyCode
  retailLocation {{ id }}
  totalPriceSet {{ {MONEY} }}
  transactions {{ gateway kind status amountSet {{ {MONEY} }} }}
  lineItems(first: {lines}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {LINE} }} }}
  refunds {{ {refund_fields(refund_lines)} }}
"""


REFUND_ORDER = "order { id currencyCode retailLocation { id } }"
"""What a refund read on its own needs of its order."""
ORDER = f"query Order($id: ID!) {{ order(id: $id) {{ {order_fields()} }} }}"
REFUND = f"query Refund($id: ID!) {{ refund(id: $id) {{ {refund_fields()} {REFUND_ORDER} }} }}"
BATCH_LINES = 15
"""Line items of each order in a `NODES` read; longer orders page the rest (`MORE_LINES`)."""
BATCH_REFUND_LINES = 5
"""Refund line items of each refund in a `NODES` read; a longer refund is read again on
its own (`REFUND`, up to 30)."""
BATCH = 5
"""Order ids per `ORDER_NODES` read: one node requests 180 points (an Order with
`BATCH_LINES` line items and a refund of `BATCH_REFUND_LINES` lines), so five (900) stay
under the 1,000-point single-query cap (`nodes` is costed per id asked). In the demo's
baskets (median 4 items) about one order in nine has more than `BATCH_LINES` lines."""
REFUND_BATCH = 18
"""Refund ids per `REFUND_NODES` read: one node requests 53 points, eighteen 954."""
ORDER_NODES = (
    "query OrderNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename "
    f"... on Order {{ {order_fields(BATCH_LINES, BATCH_REFUND_LINES)} }} }} }}"
)
REFUND_NODES = (
    "query RefundNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename "
    f"... on Refund {{ {refund_fields(BATCH_REFUND_LINES)} {REFUND_ORDER} }} }} }}"
)
"""Orders and refunds are read by separate `nodes` queries: their ``createdAt`` differ in
nullability, and GraphQL refuses one selection holding both."""
MORE_LINES = (
    "query Lines($id: ID!, $after: String) { order(id: $id) { lineItems(first: 50, after: $after) "
    f"{{ pageInfo {{ hasNextPage endCursor }} nodes {{ {LINE} }} }} }} }}"
)
CHANGED = """query Changed($q: String, $after: String) {
  orders(first: 100, after: $after, query: $q, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id updatedAt }
  }
}"""
GATEWAYS = {"cash": "cash", "shopify_payments": "card"}
"""Transaction gateway → payment method; anything else is ``other``."""
OVERLAP = timedelta(seconds=30)
"""How far before the cursor each poll for changed orders starts again."""
GID = "gid://shopify/"


def engine_id(value: object) -> str:
    """The last segment of a global id (the store's location id, for instance)."""
    return str(value or "").rsplit("/", 1)[-1]


def minor(money_set: Mapping[str, Any] | None) -> int:
    """Minor units of a `MoneyBag`'s shop money ("9.72" → 972)."""
    amount = ((money_set or {}).get("shopMoney") or {}).get("amount") or "0"
    return int(Decimal(str(amount)).scaleb(2).to_integral_value())


def rewind(cursor: str | None, overlap: timedelta = OVERLAP) -> str | None:
    """Where the next poll starts: ``overlap`` before the cursor (an ``updatedAt``)."""
    if not cursor:
        return None
    moment = datetime.fromisoformat(cursor.replace("Z", "+00:00")) - overlap
    return moment.isoformat().replace("+00:00", "Z")


def pos_orders(order: Mapping[str, Any]) -> list[PosOrder]:
    """The sale (an order with line items) and each refund of a fetched order."""
    found: list[PosOrder] = []
    if (order.get("lineItems") or {}).get("nodes"):
        found.append(
            PosOrder(
                id=str(order["id"]),
                completed=bool(order.get("closed")) and not order.get("cancelledAt"),
                updated_at=str(order.get("updatedAt") or ""),
                raw={"kind": "order", "order": order},
            )
        )
    for refund in order.get("refunds") or []:
        found.append(
            PosOrder(
                id=str(refund["id"]),
                completed=True,
                updated_at=str(refund.get("updatedAt") or ""),
                raw={"kind": "refund", "refund": refund, "order": order},
            )
        )
    return found


def refund_order(refund: Mapping[str, Any]) -> PosOrder:
    """The `PosOrder` of a refund fetched on its own (it names its order)."""
    return PosOrder(
        id=str(refund["id"]),
        completed=True,
        updated_at=str(refund.get("updatedAt") or ""),
        raw={"kind": "refund", "refund": refund, "order": refund.get("order") or {}},
    )


def order_ids(events: Sequence[InboxEvent]) -> list[str]:
    """What to fetch: paid orders of ``orders/*`` events (an order brings the refunds it
    has by then) and the refunds of ``refunds/create`` events (a refund made later on an
    order already read)."""
    wanted: list[str] = []
    for _event_id, kind, object_id, body in events:
        try:
            payload = json.loads(body)
        except ValueError:
            continue
        paid = kind == "order" and payload.get("financial_status") != "pending"
        if object_id and (kind == "refund" or paid):
            wanted.append(object_id)
    return list(dict.fromkeys(wanted))


def _sale(order: Mapping[str, Any]) -> PosDocument:
    order_id = str(order.get("id"))
    reference = str(order.get("name") or "").lstrip("#")
    if not reference:
        raise MappingError(f"order {order_id!r}: name is empty; it keys the ERP")
    currency = str(order.get("currencyCode") or "USD")
    Currency.of(currency)
    lines = []
    for index, line in enumerate((order.get("lineItems") or {}).get("nodes") or []):
        sku = line.get("sku")
        if not sku:
            raise MappingError(f"order {order_id!r} line {index}: no sku")
        taxes = line.get("taxLines") or []
        lines.append(
            DocumentLine(
                sku=str(sku),
                name=str(line.get("name") or sku),
                quantity=Decimal(int(line.get("quantity") or 0)),
                unit_price=minor(line.get("originalUnitPriceSet")),
                discount=minor(line.get("totalDiscountSet")),
                tax=sum(minor(t.get("priceSet")) for t in taxes),
                nominal_tax_percent=sum(
                    (Decimal(str(t.get("ratePercentage") or 0)) for t in taxes), start=Decimal(0)
                ).normalize()
                if taxes
                else None,
            )
        )
    payments = tuple(
        Payment(GATEWAYS.get(str(t.get("gateway") or ""), "other"), minor(t.get("amountSet")))
        for t in order.get("transactions") or []
        if t.get("kind") == "SALE" and t.get("status") == "SUCCESS"
    )
    return PosDocument(
        order_id=order_id,
        reference=reference,
        store_id=engine_id((order.get("retailLocation") or {}).get("id")),
        currency=currency,
        is_return=False,
        day=str(order.get("processedAt") or order.get("createdAt") or "")[:10],
        lines=tuple(lines),
        payments=payments,
        total=minor(order.get("totalPriceSet")),
        note=str(order.get("note") or ""),
    )


def _return(refund: Mapping[str, Any], order: Mapping[str, Any]) -> PosDocument:
    refund_id = str(refund.get("id"))
    reference = str((refund.get("return") or {}).get("name") or "").lstrip("#")
    if not reference:
        raise MappingError(f"refund {refund_id!r}: return.name is empty; it keys the ERP")
    items = refund.get("refundLineItems") or {}
    if (items.get("pageInfo") or {}).get("hasNextPage"):
        raise MappingError(f"refund {refund_id!r}: more than 30 refund line items")
    nodes = items.get("nodes") or []
    lines = []
    for index, item in enumerate(nodes):
        line = item.get("lineItem") or {}
        sku = line.get("sku")
        if not sku:
            raise MappingError(f"refund {refund_id!r} line {index}: no sku")
        lines.append(
            DocumentLine(
                sku=str(sku),
                name=str(line.get("name") or sku),
                quantity=Decimal(int(item.get("quantity") or 0)),
                unit_price=minor(line.get("originalUnitPriceSet")),
                discount=minor(line.get("totalDiscountSet")),
                tax=minor(item.get("totalTaxSet")),
            )
        )
    store = (nodes[0].get("location") or {}).get("id") if nodes else None
    store = store or (order.get("retailLocation") or {}).get("id")
    return PosDocument(
        order_id=refund_id,
        reference=reference,
        store_id=engine_id(store),
        currency=str(order.get("currencyCode") or "USD"),
        is_return=True,
        day=str(refund.get("createdAt") or "")[:10],
        lines=tuple(lines),
        payments=(),
        total=minor(refund.get("totalRefundedSet")),
        note=str(refund.get("note") or ""),
    )


def document(raw: Mapping[str, Any]) -> PosDocument | None:
    """The document of a completed sale or a refund; None for anything else."""
    if raw.get("kind") == "refund":
        refund = raw["refund"]
        if not (refund.get("refundLineItems") or {}).get("nodes"):
            return None
        return _return(refund, raw.get("order") or {})
    order = raw.get("order") or {}
    if not order.get("closed") or order.get("cancelledAt"):
        return None
    return _sale(order)

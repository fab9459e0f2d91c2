"""Square ``Order`` JSON → dialect-neutral documents (`connectors.core.documents`).

- A COMPLETED order with ``returns`` (a return, or the return order of a post-void) is a
  return of its ``return_line_items``; any other COMPLETED order with line items is a sale;
  anything else is nothing to post.
- ``reference_id`` (the simulator's transaction id) is the document's reference; the
  location id is the store.
- Lines: the SKU (the line's metadata, else its catalogue object's), quantity, base price,
  discount, the tax the POS apportioned to the line, the tax classes' nominal percentage
  and the line note. Tenders: ``CASH`` → cash, ``CARD`` → card, anything else → other.
- The order note is the order's ``note`` (or its metadata's).

Webhooks: an ``order.created`` / ``order.updated`` event names an order to fetch when it
reports the order COMPLETED (or says nothing about its state).
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

ORDER_EVENTS = ("order.created", "order.updated")
TENDERS = {"CASH": "cash", "CARD": "card"}
"""Square tender type → payment method; anything else is ``other``."""
OVERLAP = timedelta(seconds=30)
"""How far before the cursor each search for orders starts again (POS time; the mock POS
and Square stamp ``updated_at`` with the wall clock). Covers commit reordering and
search-index lag."""


def amount_of(money: Mapping[str, Any] | None) -> int:
    """Minor units of a Square ``Money`` object (0 when absent)."""
    return int((money or {}).get("amount") or 0)


def pos_order(raw: Mapping[str, Any]) -> PosOrder:
    """The `PosOrder` of a Square order."""
    return PosOrder(
        id=str(raw.get("id")),
        completed=raw.get("state") == "COMPLETED",
        updated_at=str(raw.get("updated_at") or ""),
        raw=raw,
    )


def rewind(cursor: str | None, overlap: timedelta = OVERLAP) -> str | None:
    """Where the next search starts: ``overlap`` before the cursor (an ``updated_at``)."""
    if not cursor:
        return None
    moment = datetime.fromisoformat(cursor.replace("Z", "+00:00")) - overlap
    return moment.isoformat().replace("+00:00", "Z")


def completed_order_id(event_type: str, object_id: str | None, body: str) -> str | None:
    """The order id of an order event that reports the order COMPLETED."""
    if event_type not in ORDER_EVENTS or not object_id:
        return None
    try:
        obj = (json.loads(body).get("data") or {}).get("object") or {}
    except ValueError:
        return None
    detail = obj.get("order_created") or obj.get("order_updated") or {}
    state = detail.get("state")
    return object_id if state in (None, "COMPLETED") else None


def order_ids(events: Sequence[InboxEvent]) -> list[str]:
    """The orders the events report COMPLETED, in event order."""
    found = (completed_order_id(kind, object_id, body) for _id, kind, object_id, body in events)
    return [order_id for order_id in found if order_id is not None]


def order_lines(order: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], bool]:
    """The lines a COMPLETED order moves, and whether it is a return."""
    returns = order.get("returns") or []
    if returns:
        return [x for r in returns for x in r.get("return_line_items") or []], True
    return list(order.get("line_items") or []), False


def catalog_ids(orders: Sequence[Mapping[str, Any]]) -> set[str]:
    """Catalogue object ids of order lines that do not carry their SKU themselves."""
    wanted: set[str] = set()
    for order in orders:
        lines = list(order.get("line_items") or [])
        for ret in order.get("returns") or []:
            lines.extend(ret.get("return_line_items") or [])
        for line in lines:
            if not (line.get("metadata") or {}).get("sku") and line.get("catalog_object_id"):
                wanted.add(str(line["catalog_object_id"]))
    return wanted


def line_sku(line: Mapping[str, Any], skus: Mapping[str, str], where: str) -> str:
    """The SKU of an order line (its metadata, else its catalogue object's)."""
    sku = (line.get("metadata") or {}).get("sku") or skus.get(
        str(line.get("catalog_object_id") or "")
    )
    if not sku:
        raise MappingError(
            f"{where}: no SKU for catalog_object_id {line.get('catalog_object_id')!r}"
        )
    return str(sku)


def nominal_percent(order: Mapping[str, Any], line: Mapping[str, Any]) -> Decimal | None:
    """The tax classes' nominal percentage of a line, None when the POS names no tax (returns
    carry their tax as an amount only)."""
    taxes = {t.get("uid"): t for t in order.get("taxes") or []}
    found = [
        taxes[a.get("tax_uid")]
        for a in line.get("applied_taxes") or []
        if a.get("tax_uid") in taxes
    ]
    if not found:
        return None
    return sum((Decimal(str(t.get("percentage") or 0)) for t in found), start=Decimal(0))


def pos_total(order: Mapping[str, Any], is_return: bool) -> int:
    """What the POS says the order is worth, in minor units (a return: the refund)."""
    amounts = order.get("return_amounts") if is_return else None
    return amount_of((amounts or order).get("total_money"))


def document(order: Mapping[str, Any], skus: Mapping[str, str]) -> PosDocument | None:
    """The document of a COMPLETED order with lines; None for any other order.

    ``skus``: catalogue object id → SKU for lines without one of their own. Raises
    `MappingError` when ``reference_id`` (the ERP's key) is empty or a line has no SKU.
    """
    if order.get("state") != "COMPLETED":
        return None
    raw_lines, is_return = order_lines(order)
    if not raw_lines:
        return None
    order_id = order.get("id")
    reference = str(order.get("reference_id") or "")
    if not reference:
        raise MappingError(f"order {order_id!r}: reference_id is empty; it keys the ERP")
    currency = str((order.get("total_money") or {}).get("currency") or "USD")
    Currency.of(currency)
    lines = []
    for index, line in enumerate(raw_lines):
        sku = line_sku(line, skus, f"order {order_id!r} line {index}")
        lines.append(
            DocumentLine(
                sku=sku,
                name=str(line.get("name") or sku),
                quantity=Decimal(str(line.get("quantity") or "0")),
                unit_price=amount_of(line.get("base_price_money")),
                discount=amount_of(line.get("total_discount_money")),
                tax=amount_of(line.get("total_tax_money")),
                nominal_tax_percent=nominal_percent(order, line),
                note=str(line.get("note") or ""),
            )
        )
    meta = order.get("metadata") or {}
    return PosDocument(
        order_id=str(order_id),
        reference=reference,
        store_id=str(order.get("location_id") or ""),
        currency=currency,
        is_return=is_return,
        day=str(order.get("closed_at") or order.get("created_at") or "")[:10],
        lines=tuple(lines),
        payments=tuple(
            Payment(
                TENDERS.get(str(tender.get("type") or ""), "other"),
                amount_of(tender.get("amount_money")),
            )
            for tender in order.get("tenders") or []
        ),
        total=pos_total(order, is_return),
        note=str(order.get("note") or meta.get("note") or ""),
    )

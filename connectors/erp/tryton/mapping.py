"""Dialect-neutral documents → the payload of one Tryton POS sale (``sale.point.sale``),
stock changes → the payload of one stock move, and outbox payloads → the values
`connectors.erp.tryton.poster` posts.

- reference = the document's reference (the simulator's txn id); store = its store id
  (Tryton's ``sale.point`` is named by it); date = the business date.
- A line: SKU, quantity, the unit gross price (what the POS charged per unit, tax included
  and discount deducted: (quantity × price − discount + tax) ÷ quantity) and the unit list
  price (the same without tax). Tryton keeps prices to `PRICE_DIGITS` decimals and rounds
  each line's quantity × price to the cent (half even), so each price is the nearest one
  whose rounding gives back the POS amount to the cent (always possible up to 100 units a
  line: 100 × 0.0001 is one cent); the sale's total and each line's tax (gross − net) then
  equal the POS's exactly. Lines of quantity 0 are left out.
- A return (or the return order of a post-void) has negative quantities and payments.
- Payments by method: Tryton's payment methods are named by the scenario's tenders (cash,
  credit, debit, mobile, other), but a POS document says only cash, card or other: card
  payments go to ``credit`` (the POS cannot tell debit from credit), anything else to
  ``other`` (`TENDERS`). Return orders carry no tenders: the refund is one `REFUND_TENDER`
  payment of the whole amount.
- No free text goes to Tryton, so no card number typed into a note can reach it.

A sale payload is JSON: ``{"reference", "store_id", "date", "lines": [{"sku", "quantity",
"unit_gross_price", "unit_list_price"}], "payments": [[tender, amount]]}`` with decimals as
strings; a stock payload ``{"store_id", "sku", "quantity"}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from connectors.core.documents import PosDocument, StockChange
from connectors.core.errors import MappingError
from connectors.erp.tryton.poster import PosLine, PosSale, StockMove

PRICE_DIGITS = 4
"""Decimals of Tryton's unit prices (``[product] price_decimal``, 4 by default)."""
TENDERS = {"cash": "cash", "card": "credit"}
"""Payment method of a POS document → Tryton payment method name; anything else is ``other``."""
OTHER_TENDER = "other"
REFUND_TENDER = "cash"
"""Payment method of a refund (POS return orders do not say how the money went back)."""
_SEARCH = 50


def unit_price(total: Decimal, quantity: Decimal, cent: Decimal) -> Decimal:
    """The price with `PRICE_DIGITS` decimals closest to ``total / quantity`` whose product
    with ``quantity``, rounded to ``cent`` half even (as Tryton does), is ``total``."""
    if quantity <= 0:
        raise MappingError(f"quantity must be > 0 to price a line, got {quantity}")
    step = Decimal(1).scaleb(-PRICE_DIGITS)
    guess = (total / quantity).quantize(step, ROUND_HALF_UP)
    for offset in range(_SEARCH + 1):
        for price in {guess + offset * step, guess - offset * step}:
            if price >= 0 and (quantity * price).quantize(cent, ROUND_HALF_EVEN) == total:
                return price
    raise MappingError(
        f"no unit price with {PRICE_DIGITS} decimals gives {total} for quantity {quantity}; "
        "raise Tryton's [product] price_decimal"
    )


def _payments(document: PosDocument, total: int) -> list[list[str]]:
    sign = -1 if document.is_return else 1
    paid: dict[str, int] = {}
    for payment in document.payments:
        name = TENDERS.get(payment.method, OTHER_TENDER)
        paid[name] = paid.get(name, 0) + payment.amount
    if not paid and document.is_return and total:
        paid[REFUND_TENDER] = total
    if sum(paid.values()) != total:
        raise MappingError(
            f"order {document.order_id!r}: tenders add up to {sum(paid.values())} "
            f"but the POS total is {total}"
        )
    return [
        [name, f"{Decimal(sign * amount).scaleb(-document.exponent):f}"]
        for name, amount in paid.items()
        if amount
    ]


def map_document(document: PosDocument) -> dict[str, Any]:
    """The Tryton POS sale of a sale or return."""
    exponent = document.exponent
    if not document.store_id:
        raise MappingError(
            f"order {document.order_id!r}: the store is empty; it names Tryton's sale point"
        )
    cent = Decimal(1).scaleb(-exponent)
    sign = -1 if document.is_return else 1
    lines: list[dict[str, str]] = []
    total = 0
    for index, line in enumerate(document.lines):
        where = f"order {document.order_id!r} line {index}"
        quantity = line.quantity
        if quantity == 0:
            continue
        net, charged = line.net, line.charged
        total += charged
        try:
            unit = unit_price(Decimal(charged).scaleb(-exponent), quantity, cent)
            unit_net = unit_price(Decimal(net).scaleb(-exponent), quantity, cent)
        except MappingError as error:
            raise MappingError(f"{where}: {error}") from None
        lines.append(
            {
                "sku": line.sku,
                "quantity": f"{sign * quantity:f}",
                "unit_gross_price": f"{unit:f}",
                "unit_list_price": f"{unit_net:f}",
            }
        )
    if document.total != total:
        raise MappingError(
            f"order {document.order_id!r}: lines add up to {total} "
            f"but the POS total is {document.total}"
        )
    return {
        "reference": document.reference,
        "store_id": document.store_id,
        "date": document.business_date().isoformat(),
        "lines": lines,
        "payments": _payments(document, total),
    }


def stock_payload(changes: Sequence[StockChange]) -> dict[str, Any]:
    """The stock move of one change (Tryton posts each change on its own)."""
    if len(changes) != 1:
        raise MappingError(f"Tryton moves stock one change per posting, got {len(changes)} changes")
    (change,) = changes
    return {"store_id": change.store_id, "sku": change.sku, "quantity": f"{change.delta:f}"}


def pos_sale(payload: Mapping[str, Any]) -> PosSale:
    """The `PosSale` of a mapped payload."""
    return PosSale(
        reference=str(payload["reference"]),
        store_id=str(payload["store_id"]),
        date=date.fromisoformat(str(payload["date"])),
        lines=tuple(
            PosLine(
                sku=str(line["sku"]),
                quantity=Decimal(str(line["quantity"])),
                unit_gross_price=Decimal(str(line["unit_gross_price"])),
                unit_list_price=Decimal(str(line["unit_list_price"]))
                if line.get("unit_list_price") is not None
                else None,
            )
            for line in payload["lines"]
        ),
        payments=tuple((str(name), Decimal(str(amount))) for name, amount in payload["payments"]),
    )


def stock_move(reference: str, payload: Mapping[str, Any]) -> StockMove:
    """The `StockMove` of a stock payload (+ into the store)."""
    return StockMove(
        reference=reference,
        store_id=str(payload["store_id"]),
        sku=str(payload["sku"]),
        quantity=Decimal(str(payload["quantity"])),
    )

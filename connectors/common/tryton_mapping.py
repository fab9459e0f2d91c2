"""POS order (Square ``Order`` JSON) → the payload of one Tryton POS sale
(``sale.point.sale``), and outbox payloads → `connectors.common.tryton` values.

- reference = the order's ``reference_id`` (the simulator's txn id); store = the order's
  location id (Tryton's ``sale.point`` is named by it); date = the business date.
- A line: SKU, quantity, the unit gross price (what the POS charged per unit, tax included
  and discount deducted: (quantity × price − discount + tax) ÷ quantity) and the unit list
  price (the same without tax). Tryton keeps prices to `PRICE_DIGITS` decimals and rounds
  each line's quantity × price to the cent (half even), so each price is the nearest one
  whose rounding gives back the POS amount to the cent (always possible up to 100 units a
  line: 100 × 0.0001 is one cent); the sale's total and each line's tax (gross − net) then
  equal the POS's exactly.
- A return (or the return order of a post-void) has negative quantities and payments.
- Payments by tender: Tryton's payment methods are named by the scenario's tenders (cash,
  credit, debit, mobile, other), but the POS order names only CASH, CARD or OTHER: card
  payments go to ``credit`` (the order cannot tell debit from credit), anything else to
  ``other`` (`TENDERS`). Return orders carry no tenders: the refund is one `REFUND_TENDER`
  payment of the whole amount.
- No free text goes to Tryton, so no card number typed into a note can reach it (the
  card-notes planted bug has nothing to copy there).

A payload is JSON: ``{"reference", "store_id", "date", "lines": [{"sku", "quantity",
"unit_gross_price", "unit_list_price"}], "payments": [[tender, amount]]}`` with decimals as strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from connectors.common.mapping import (
    ErpDocument,
    MapOptions,
    MappingError,
    amount_of,
    business_date,
    line_sku,
    order_head,
    pos_total,
)
from connectors.common.tryton import PosLine, PosSale, StockMove

PRICE_DIGITS = 4
"""Decimals of Tryton's unit prices (``[product] price_decimal``, 4 by default)."""
TENDERS = {"CASH": "cash", "CARD": "credit"}
"""POS tender type → Tryton payment method name; anything else is ``other``."""
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


def _payments(
    order: Mapping[str, Any], total: int, exponent: int, is_return: bool
) -> list[list[str]]:
    sign = -1 if is_return else 1
    paid: dict[str, int] = {}
    for tender in order.get("tenders") or []:
        name = TENDERS.get(str(tender.get("type") or ""), OTHER_TENDER)
        paid[name] = paid.get(name, 0) + amount_of(tender.get("amount_money"))
    if not paid and is_return and total:
        paid[REFUND_TENDER] = total
    if sum(paid.values()) != total:
        raise MappingError(
            f"order {order.get('id')!r}: tenders add up to {sum(paid.values())} "
            f"but the POS total is {total}"
        )
    return [
        [name, f"{Decimal(sign * amount).scaleb(-exponent):f}"]
        for name, amount in paid.items()
        if amount
    ]


def map_tryton_order(
    order: Mapping[str, Any], skus: Mapping[str, str], options: MapOptions | None = None
) -> ErpDocument | None:
    """The Tryton POS sale of a COMPLETED order; None for orders that are not one.
    With ``options.nominal_tax_rate`` (the tax-per-line planted bug) the unit list price is
    left out, so Tryton splits each line into net and tax from the product's nominal rate."""
    nominal = options is not None and options.nominal_tax_rate
    head = order_head(order)
    if head is None:
        return None
    reference, store_id, exponent = head.reference, head.store_id, head.exponent
    raw_lines, is_return = head.lines, head.is_return
    if not store_id:
        raise MappingError(f"order {order.get('id')!r}: location_id is empty; it names the store")
    cent = Decimal(1).scaleb(-exponent)
    sign = -1 if is_return else 1
    lines: list[dict[str, str]] = []
    moves: list[tuple[str, Decimal]] = []
    total = 0
    for index, line in enumerate(raw_lines):
        where = f"order {order.get('id')!r} line {index}"
        sku = line_sku(line, skus, where)
        quantity = Decimal(str(line.get("quantity") or "0"))
        if quantity == 0:
            continue
        price = amount_of(line.get("base_price_money"))
        gross = int((quantity * price).quantize(Decimal(1), ROUND_HALF_UP))
        net = gross - amount_of(line.get("total_discount_money"))
        charged = net + amount_of(line.get("total_tax_money"))
        total += charged
        try:
            unit = unit_price(Decimal(charged).scaleb(-exponent), quantity, cent)
            unit_net = unit_price(Decimal(net).scaleb(-exponent), quantity, cent)
        except MappingError as error:
            raise MappingError(f"{where}: {error}") from None
        mapped = {"sku": sku, "quantity": f"{sign * quantity:f}", "unit_gross_price": f"{unit:f}"}
        if not nominal:
            mapped["unit_list_price"] = f"{unit_net:f}"
        lines.append(mapped)
        moves.append((sku, quantity))
    expected = pos_total(order, is_return)
    if expected != total:
        raise MappingError(
            f"order {order.get('id')!r}: lines add up to {total} but the POS total is {expected}"
        )
    payload = {
        "reference": reference,
        "store_id": store_id,
        "date": business_date(order).isoformat(),
        "lines": lines,
        "payments": _payments(order, total, exponent, is_return),
    }
    kind = "credit_memo" if is_return else "invoice"
    return ErpDocument(kind, reference, store_id, payload, tuple(moves))


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
    """The `StockMove` of a POS stock change queued as a journal delta (+ into the store)."""
    return StockMove(
        reference=reference,
        store_id=str(payload["locationCode"]),
        sku=str(payload["itemNumber"]),
        quantity=Decimal(str(payload["quantity"])),
    )

"""POS order (Square ``Order`` JSON) → ERP document (Business Central ``salesInvoice`` /
``salesCreditMemo`` body with lines).

- A COMPLETED order with ``returns`` (a return, or the return order of a post-void) → a
  credit memo; any other COMPLETED order with line items → an invoice; anything else → None.
- ``externalDocumentNumber`` = the order's ``reference_id`` (the simulator's txn id).
- Lines: the SKU as item number, quantity, unit price, discount and the store as location.
  The ERP computes each line's tax from ``taxPercent``; the POS rounded tax per document and
  apportioned it to lines, so the connector sends the line's *effective* percentage (five
  decimals), chosen so the ERP's rounding gives back the POS line tax to the cent.
- The order note (card numbers scrubbed) goes into the first line's description: the only
  free-text field a Business Central sales line has.

The result is checked through ``domain`` (`SalesInvoice` / `CreditMemo`: lines add up to
the POS total) before it is queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from connectors.common.cards import scrub
from connectors.common.errors import ConnectorError
from domain import CreditMemo, Currency, InvoiceLine, Money, SalesInvoice, Sku, TaxClass
from domain.errors import DomainError

DEFAULT_CUSTOMER = "RETAIL"
"""The ERP's walk-in customer (mocks.erp loads it; real deployments name their own)."""
_PCT_STEP = Decimal("0.00001")
_DESCRIPTION = 100


class MappingError(ConnectorError):
    """A POS order cannot become an ERP document; the message names the field."""


@dataclass(frozen=True, slots=True)
class MapOptions:
    """Switches of the mapping (the planted bugs of the test suite flip them)."""

    nominal_tax_rate: bool = False
    """Send the tax class's nominal percentage (the ERP then rounds tax per line)."""
    scrub_notes: bool = True
    customer_number: str = DEFAULT_CUSTOMER


@dataclass(frozen=True, slots=True)
class ErpDocument:
    """A mapped document: ``kind`` ``invoice`` or ``credit_memo`` and its API body."""

    kind: str
    ext_no: str
    store_id: str
    body: dict[str, Any]
    lines: tuple[tuple[str, Decimal], ...]
    """(SKU, quantity) per line: what the document moves in stock."""

    @property
    def key(self) -> str:
        """Outbox key."""
        return f"{self.kind}:{self.ext_no}"


def amount_of(money: Mapping[str, Any] | None) -> int:
    """Minor units of a Square ``Money`` object (0 when absent)."""
    return int((money or {}).get("amount") or 0)


def effective_percent(net: int, tax: int, exponent: int) -> Decimal:
    """A percentage with five decimals whose half-up rounding of net × % gives ``tax``."""
    if net <= 0 or tax <= 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(-exponent)
    net_major = Decimal(net).scaleb(-exponent)
    want = Decimal(tax).scaleb(-exponent)
    guess = (Decimal(tax) * 100 / Decimal(net)).quantize(_PCT_STEP, ROUND_HALF_UP)
    for step in (0, 1, -1, 2, -2, 3, -3):
        pct = guess + step * _PCT_STEP
        if 0 <= pct <= 100 and (net_major * pct / 100).quantize(quantum, ROUND_HALF_UP) == want:
            return pct
    raise MappingError(f"line tax {tax} cannot be expressed as a percentage of net {net}")


def _nominal_percent(order: Mapping[str, Any], line: Mapping[str, Any]) -> Decimal | None:
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


def _note(order: Mapping[str, Any]) -> str:
    meta = order.get("metadata") or {}
    return str(order.get("note") or meta.get("note") or "")


def _description(name: str, note: str) -> str:
    if not note:
        return name[:_DESCRIPTION]
    tail = f" | {note}"[: _DESCRIPTION - 1]
    return name[: _DESCRIPTION - len(tail)] + tail


def order_lines(order: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], bool]:
    """The lines a COMPLETED order moves, and whether it is a return."""
    returns = order.get("returns") or []
    if returns:
        return [x for r in returns for x in r.get("return_line_items") or []], True
    return list(order.get("line_items") or []), False


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


def pos_total(order: Mapping[str, Any], is_return: bool) -> int:
    """What the POS says the order is worth, in minor units (a return: the refund)."""
    amounts = order.get("return_amounts") if is_return else None
    return amount_of((amounts or order).get("total_money"))


@dataclass(frozen=True, slots=True)
class OrderHead:
    """What every ERP mapping reads first from a COMPLETED order with lines."""

    reference: str
    store_id: str
    currency: str
    exponent: int
    lines: list[Mapping[str, Any]]
    is_return: bool


def order_head(order: Mapping[str, Any]) -> OrderHead | None:
    """The head of a COMPLETED order with lines; None for any other order.

    Raises `MappingError` when ``reference_id`` (the ERP's key) is empty.
    """
    if order.get("state") != "COMPLETED":
        return None
    raw_lines, is_return = order_lines(order)
    if not raw_lines:
        return None
    reference = str(order.get("reference_id") or "")
    if not reference:
        raise MappingError(f"order {order.get('id')!r}: reference_id is empty; it keys the ERP")
    currency = str((order.get("total_money") or {}).get("currency") or "USD")
    return OrderHead(
        reference=reference,
        store_id=str(order.get("location_id") or ""),
        currency=currency,
        exponent=Currency.of(currency).exponent,
        lines=raw_lines,
        is_return=is_return,
    )


def map_order(
    order: Mapping[str, Any], skus: Mapping[str, str], options: MapOptions = MapOptions()
) -> ErpDocument | None:
    """The ERP document of a COMPLETED order; None for orders that are not one."""
    head = order_head(order)
    if head is None:
        return None
    currency, exponent, is_return = head.currency, head.exponent, head.is_return
    note = _note(order)
    if options.scrub_notes:
        note = scrub(note)
    lines_out: list[dict[str, Any]] = []
    checked: list[InvoiceLine] = []
    moves: list[tuple[str, Decimal]] = []
    total = 0
    for index, line in enumerate(head.lines):
        where = f"order {order.get('id')!r} line {index}"
        sku = line_sku(line, skus, where)
        quantity = Decimal(str(line.get("quantity") or "0"))
        price = amount_of(line.get("base_price_money"))
        discount = amount_of(line.get("total_discount_money"))
        tax = amount_of(line.get("total_tax_money"))
        gross = int((quantity * price).quantize(Decimal(1), ROUND_HALF_UP))
        net = gross - discount
        total += net + tax
        nominal = _nominal_percent(order, line) if options.nominal_tax_rate else None
        pct = nominal if nominal is not None else effective_percent(net, tax, exponent)
        name = str(line.get("name") or sku)
        line_note = str(line.get("note") or "")
        if options.scrub_notes:
            line_note = scrub(line_note)
        text = " ".join(x for x in ((note if index == 0 else ""), line_note) if x)
        lines_out.append(
            {
                "lineType": "Item",
                "lineObjectNumber": sku,
                "description": _description(name, text),
                "locationCode": head.store_id,
                "quantity": float(quantity),
                "unitPrice": float(Decimal(price).scaleb(-exponent)),
                "discountAmount": float(Decimal(discount).scaleb(-exponent)),
                "taxPercent": float(pct),
            }
        )
        moves.append((str(sku), quantity))
        try:
            checked.append(
                InvoiceLine(
                    Sku(sku),
                    quantity,
                    Money.from_minor(price, currency),
                    Money.from_minor(discount, currency),
                    TaxClass("effective", pct / 100),
                    Money.from_minor(tax, currency),
                )
            )
        except DomainError as error:
            if not options.nominal_tax_rate:
                raise MappingError(f"{where}: {error}") from None
    day = str(order.get("closed_at") or order.get("created_at") or "")[:10]
    _check_total(order, checked, total, currency, head.reference, is_return, options)
    body: dict[str, Any] = {
        "externalDocumentNumber": head.reference,
        "postingDate": day,
        "customerNumber": options.customer_number,
        ("creditMemoDate" if is_return else "invoiceDate"): day,
        ("salesCreditMemoLines" if is_return else "salesInvoiceLines"): lines_out,
    }
    return ErpDocument(
        "credit_memo" if is_return else "invoice", head.reference, head.store_id, body, tuple(moves)
    )


def _check_total(
    order: Mapping[str, Any],
    lines: list[InvoiceLine],
    total: int,
    currency: str,
    ext_no: str,
    is_return: bool,
    options: MapOptions,
) -> None:
    """The mapped lines must add up to what the POS says the document is worth."""
    expected = pos_total(order, is_return)
    if expected != total:
        raise MappingError(
            f"order {order.get('id')!r}: lines add up to {total} but the POS total is {expected}"
        )
    if options.nominal_tax_rate or not lines:
        return
    kind = CreditMemo if is_return else SalesInvoice
    try:
        kind(
            external_document_number=ext_no,
            customer_id=None,
            posting_date=business_date(order),
            currency=currency,
            lines=lines,
            total=Money.from_minor(total, currency),
        )
    except DomainError as error:
        raise MappingError(f"order {order.get('id')!r}: {error}") from None


def business_date(order: Mapping[str, Any]) -> date:
    """The day the order was closed (or created)."""
    text = str(order.get("closed_at") or order.get("created_at") or "")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MappingError(f"order {order.get('id')!r}: closed_at {text!r} is not a date") from None

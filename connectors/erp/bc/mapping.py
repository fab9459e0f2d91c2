"""Dialect-neutral documents → Business Central API v2.0 payloads.

- A sale → a ``salesInvoice`` body with ``salesInvoiceLines``; a return → a
  ``salesCreditMemo`` with ``salesCreditMemoLines``. ``externalDocumentNumber`` = the
  document's reference (the simulator's txn id).
- Lines: the SKU as item number, quantity, unit price, discount and the store as location.
  The ERP computes each line's tax from ``taxPercent``; the POS rounded tax per document and
  apportioned it to lines, so the connector sends the line's *effective* percentage (five
  decimals), chosen so the ERP's rounding gives back the POS line tax to the cent.
- The order note goes into the first line's description (the only free-text field a
  Business Central sales line has), with each line's own note; the runtime's mapper has
  removed card numbers from them before.
- A stock change → an item journal line (``quantity`` a delta).

The result is checked through ``domain`` (`SalesInvoice` / `CreditMemo`: lines add up to
the POS total) before it is queued.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from connectors.core.documents import PosDocument, StockChange
from connectors.core.errors import MappingError
from domain import CreditMemo, InvoiceLine, Money, SalesInvoice, Sku, TaxClass
from domain.errors import DomainError

DEFAULT_CUSTOMER = "RETAIL"
"""The ERP's walk-in customer (mocks.erp loads it; real deployments name their own)."""
DESCRIPTION = 100
"""Characters of a line's or journal line's ``description``."""
_PCT_STEP = Decimal("0.00001")


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


def _description(name: str, note: str) -> str:
    if not note:
        return name[:DESCRIPTION]
    tail = f" | {note}"[: DESCRIPTION - 1]
    return name[: DESCRIPTION - len(tail)] + tail


def lines_key(is_return: bool) -> str:
    """Where a document body keeps its lines."""
    return "salesCreditMemoLines" if is_return else "salesInvoiceLines"


def map_document(
    document: PosDocument, *, customer_number: str = DEFAULT_CUSTOMER
) -> dict[str, Any]:
    """The ``salesInvoice`` / ``salesCreditMemo`` body of a sale or return."""
    currency, exponent = document.currency, document.exponent
    lines_out: list[dict[str, Any]] = []
    checked: list[InvoiceLine] = []
    total = 0
    for index, line in enumerate(document.lines):
        where = f"order {document.order_id!r} line {index}"
        net = line.net
        total += line.charged
        pct = effective_percent(net, line.tax, exponent)
        text = " ".join(x for x in ((document.note if index == 0 else ""), line.note) if x)
        lines_out.append(
            {
                "lineType": "Item",
                "lineObjectNumber": line.sku,
                "description": _description(line.name, text),
                "locationCode": document.store_id,
                "quantity": float(line.quantity),
                "unitPrice": float(Decimal(line.unit_price).scaleb(-exponent)),
                "discountAmount": float(Decimal(line.discount).scaleb(-exponent)),
                "taxPercent": float(pct),
            }
        )
        try:
            checked.append(
                InvoiceLine(
                    Sku(line.sku),
                    line.quantity,
                    Money.from_minor(line.unit_price, currency),
                    Money.from_minor(line.discount, currency),
                    TaxClass("effective", pct / 100),
                    Money.from_minor(line.tax, currency),
                )
            )
        except DomainError as error:
            raise MappingError(f"{where}: {error}") from None
    _check_total(document, checked, total)
    day = document.day
    return {
        "externalDocumentNumber": document.reference,
        "postingDate": day,
        "customerNumber": customer_number,
        ("creditMemoDate" if document.is_return else "invoiceDate"): day,
        lines_key(document.is_return): lines_out,
    }


def _check_total(document: PosDocument, lines: list[InvoiceLine], total: int) -> None:
    """The mapped lines must add up to what the POS says the document is worth."""
    if document.total != total:
        raise MappingError(
            f"order {document.order_id!r}: lines add up to {total} "
            f"but the POS total is {document.total}"
        )
    if not lines:
        return
    kind = CreditMemo if document.is_return else SalesInvoice
    currency = document.currency
    try:
        kind(
            external_document_number=document.reference,
            customer_id=None,
            posting_date=document.business_date(),
            currency=currency,
            lines=lines,
            total=Money.from_minor(total, currency),
        )
    except DomainError as error:
        raise MappingError(f"order {document.order_id!r}: {error}") from None


def journal_line(change: StockChange) -> dict[str, Any]:
    """The item journal line of a stock change."""
    return {
        "itemNumber": change.sku,
        "locationCode": change.store_id,
        "quantity": float(change.delta),
        "externalDocumentNumber": change.id,
        "description": change.description[:DESCRIPTION],
    }


def stock_payload(changes: Sequence[StockChange]) -> dict[str, Any]:
    """One journal line, or ``{"lines": [...]}`` for several (posted in one atomic
    ``$batch``)."""
    if len(changes) == 1:
        return journal_line(changes[0])
    return {"lines": [journal_line(change) for change in changes]}

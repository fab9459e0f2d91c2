"""Document lines: validation, amounts (tax included or not), rows and stock moves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, func, select, update

from mocks.erp.engine import catalog, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.errors import Invalid
from mocks.erp.engine.fixed import from_fixed, round_amount, to_fixed
from mocks.erp.engine.model import DocKind, LineInput

LINE_COLUMNS = (
    "id",
    "document_id",
    "sequence",
    "line_type",
    "item_id",
    "description",
    "location_code",
    "quantity",
    "unit_price",
    "discount_amount",
    "tax_percent",
    "amount_excl",
    "tax_amount",
    "version",
)
INSERT_LINES = f"INSERT INTO erp_document_lines ({', '.join(LINE_COLUMNS)})"
"""Head of a multi-row insert (``Raw.insert_rows``)."""


def lines_of(conn: Connection, doc_id: str) -> list[dict[str, Any]]:
    """The lines of a document in sequence order."""
    stmt = (
        line_select()
        .where(t.document_lines.c.document_id == doc_id)
        .order_by(t.document_lines.c.sequence)
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def line_select() -> Select[Any]:
    """Lines joined with their item number and location id."""
    return (
        select(
            t.document_lines,
            t.items.c.number.label("item_number"),
            t.locations.c.id.label("location_id"),
        )
        .outerjoin(t.items, t.items.c.id == t.document_lines.c.item_id)
        .outerjoin(t.locations, t.locations.c.code == t.document_lines.c.location_code)
    )


def build_lines(
    conn: Connection,
    header: Mapping[str, Any],
    lines: Sequence[LineInput],
    *,
    start: int,
    posted: bool,
) -> tuple[list[dict[str, Any]], list[stock.Move]]:
    """Validate lines against the catalogue and build their rows and stock moves."""
    kind = DocKind(header["kind"])
    items = catalog.resolve(
        conn,
        t.items,
        [(ln.item_id, ln.item_number) if ln.line_type == "Item" else (None, None) for ln in lines],
        fields=[(f"{ln.where}.itemId", f"{ln.where}.lineObjectNumber") for ln in lines],
    )
    locations = catalog.resolve(
        conn,
        t.locations,
        [(ln.location_id, ln.location_code) for ln in lines],
        fields=[(f"{ln.where}.locationId", f"{ln.where}.locationCode") for ln in lines],
    )
    rows: list[dict[str, Any]] = []
    moves: list[stock.Move] = []
    for offset, (line, item, location) in enumerate(zip(lines, items, locations, strict=True)):
        if line.line_type == "Item" and item is None:
            raise Invalid(
                "An item line needs itemId or lineObjectNumber (the item number).",
                field=f"{line.where}.lineObjectNumber",
            )
        if item is not None and item["blocked"]:
            raise Invalid(f"The Item {item['number']} is blocked.", field=f"{line.where}.itemId")
        price = line.unit_price
        if price is None:
            price = dec(item["unit_price"]) if item is not None else Decimal(0)
        check_amounts(line.where, line.quantity, price, line.discount_amount, line.tax_percent)
        excl, tax = amounts(
            line.quantity,
            price,
            line.discount_amount,
            line.tax_percent,
            bool(header["prices_include_tax"]),
        )
        location_code = location["code"] if location is not None else ""
        quantity = to_fixed(line.quantity)
        rows.append(
            {
                "id": catalog.new_id(),
                "document_id": header["id"],
                "sequence": line.sequence or (start + offset) * 10000,
                "line_type": line.line_type,
                "item_id": item["id"] if item is not None else None,
                "description": line.description
                if line.description is not None
                else (item["display_name"] if item is not None else ""),
                "location_code": location_code,
                "quantity": quantity,
                "unit_price": to_fixed(price),
                "discount_amount": to_fixed(line.discount_amount),
                "tax_percent": to_fixed(line.tax_percent),
                "amount_excl": to_fixed(excl),
                "tax_amount": to_fixed(tax),
                "version": 1,
            }
        )
        if posted and item is not None:
            moves.append((item["id"], location_code, kind.sign * quantity))
    return rows, moves


def check_amounts(
    where: str, quantity: Decimal, price: Decimal, discount: Decimal, pct: Decimal
) -> None:
    """Invalid, naming the field, unless quantity, price, discount and tax % are sane."""
    prefix = f"{where}." if where else ""
    if quantity <= 0:
        raise Invalid(f"Quantity must be positive, got {quantity}.", field=f"{prefix}quantity")
    if price < 0:
        raise Invalid(f"Unit Price must not be negative, got {price}.", field=f"{prefix}unitPrice")
    if discount < 0 or discount > round_amount(quantity * price):
        raise Invalid(
            f"Line Discount Amount must be between 0 and the line amount, got {discount}.",
            field=f"{prefix}discountAmount",
        )
    if not 0 <= pct <= 100:
        raise Invalid(f"Tax % must be between 0 and 100, got {pct}.", field=f"{prefix}taxPercent")


def amounts(
    quantity: Decimal, price: Decimal, discount: Decimal, pct: Decimal, includes_tax: bool
) -> tuple[Decimal, Decimal]:
    """Amount excluding tax and tax amount of a line, rounded to cents."""
    gross = round_amount(quantity * price - discount)
    if includes_tax:
        excl = round_amount(gross / (1 + pct / 100))
        return excl, gross - excl
    return gross, round_amount(gross * pct / 100)


def refresh_totals(conn: Connection, header: Mapping[str, Any]) -> None:
    """Recompute a document's totals from its lines."""
    excl, tax = conn.execute(
        select(
            func.coalesce(func.sum(t.document_lines.c.amount_excl), 0),
            func.coalesce(func.sum(t.document_lines.c.tax_amount), 0),
        ).where(t.document_lines.c.document_id == header["id"])
    ).one()
    conn.execute(
        update(t.documents)
        .where(t.documents.c.id == header["id"])
        .values(total_excl=int(excl), total_tax=int(tax), last_modified=catalog.now())
    )


def dec(fixed: int) -> Decimal:
    """A stored fixed-point integer as a Decimal."""
    return from_fixed(fixed)

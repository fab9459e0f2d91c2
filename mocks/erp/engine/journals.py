"""Item journals and their lines: stock adjustments, posted as they are created."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, select

from mocks.erp.engine import catalog, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.claims import claim_external
from mocks.erp.engine.errors import Conflict, Invalid, NotFound
from mocks.erp.engine.fixed import to_fixed
from mocks.erp.engine.model import Duplicates, Policy
from mocks.erp.engine.query import Page

ENTRY_SIGNS = {"Positive Adjmt.": 1, "Negative Adjmt.": -1, "Purchase": 1, "Sale": -1}
"""Item journal entry types (Business Central's Item Journal) and their stock direction."""

JOURNAL_KIND = "item_journal"


@dataclass(slots=True)
class JournalLineInput:
    """A journal line as the client sent it. Without ``entry_type`` the quantity is a
    signed delta; with one, it must be positive and the type gives the direction."""

    quantity: Decimal
    item_id: str | None = None
    item_number: str | None = None
    location_id: str | None = None
    location_code: str | None = None
    entry_type: str | None = None
    posting_date: date | None = None
    document_number: str = ""
    external_document_number: str = ""
    description: str = ""


def get_journal(conn: Connection, journal_id: str) -> dict[str, Any]:
    """One item journal, or NotFound."""
    row = conn.execute(select(t.item_journals).where(t.item_journals.c.id == journal_id)).first()
    if row is None:
        raise NotFound("Item Journal Batch", "Id", journal_id, field="id")
    return dict(row._mapping)


def create_journal(conn: Connection, *, code: str, display_name: str) -> dict[str, Any]:
    """A new item journal batch."""
    exists = conn.execute(
        select(t.item_journals.c.id).where(t.item_journals.c.code == code)
    ).first()
    if exists is not None:
        raise Conflict(f"The Item Journal Batch '{code}' already exists.", field="code")
    row = {
        "id": catalog.new_id(),
        "code": code,
        "display_name": display_name,
        "version": 1,
        "last_modified": catalog.now(),
    }
    conn.execute(t.item_journals.insert().values(**row))
    return row


def add_line(
    conn: Connection, journal_id: str, line: JournalLineInput, *, policy: Policy
) -> dict[str, Any]:
    """Add a line and move stock by it."""
    get_journal(conn, journal_id)
    item = catalog.resolve(
        conn, t.items, [(line.item_id, line.item_number)], fields=[("itemId", "itemNumber")]
    )[0]
    if item is None:
        raise Invalid("A journal line needs itemId or itemNumber.", field="itemNumber")
    location = catalog.resolve(
        conn,
        t.locations,
        [(line.location_id, line.location_code)],
        fields=[("locationId", "locationCode")],
    )[0]
    if line.entry_type is None:
        if line.quantity == 0:
            raise Invalid("Quantity must not be 0.", field="quantity")
        entry_type = "Positive Adjmt." if line.quantity > 0 else "Negative Adjmt."
        delta = line.quantity
    else:
        if line.entry_type not in ENTRY_SIGNS:
            raise Invalid(
                f"Entry Type must be one of {', '.join(ENTRY_SIGNS)}, got '{line.entry_type}'.",
                field="entryType",
            )
        if line.quantity <= 0:
            raise Invalid(
                f"Quantity must be positive with an entry type, got {line.quantity}.",
                field="quantity",
            )
        entry_type = line.entry_type
        delta = line.quantity * ENTRY_SIGNS[entry_type]
    line_id = catalog.new_id()
    if line.external_document_number and policy.duplicates is Duplicates.REJECT:
        _claim(conn, line.external_document_number, line_id)
    location_code = location["code"] if location is not None else ""
    row = {
        "id": line_id,
        "journal_id": journal_id,
        "item_id": item["id"],
        "location_code": location_code,
        "posting_date": line.posting_date or catalog.now().date(),
        "document_number": line.document_number,
        "external_document_number": line.external_document_number,
        "entry_type": entry_type,
        "description": line.description or item["display_name"],
        "quantity": to_fixed(delta),
        "version": 1,
        "last_modified": catalog.now(),
    }
    row["seq"] = conn.execute(t.journal_lines.insert().values(**row)).inserted_primary_key[0]  # type: ignore[index]
    stock.apply(conn, [(item["id"], location_code, row["quantity"])])
    return {**row, "item_number": item["number"]}


def get_line(conn: Connection, journal_id: str, line_id: str) -> dict[str, Any]:
    """One journal line, or NotFound."""
    row = conn.execute(
        _line_select().where(
            t.journal_lines.c.id == line_id, t.journal_lines.c.journal_id == journal_id
        )
    ).first()
    if row is None:
        raise NotFound("Item Journal Line", "Id", line_id, field="id")
    return dict(row._mapping)


def list_lines(conn: Connection, journal_id: str, *, after: int | None, limit: int) -> Page:
    """Lines of a journal in line order, ``limit`` at a time."""
    get_journal(conn, journal_id)
    stmt = (
        _line_select()
        .where(t.journal_lines.c.journal_id == journal_id)
        .order_by(t.journal_lines.c.seq)
    )
    if after is not None:
        stmt = stmt.where(t.journal_lines.c.seq > after)
    rows = [dict(r._mapping) for r in conn.execute(stmt.limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1]["seq"] if more else None)


def _line_select() -> Select[Any]:
    return select(t.journal_lines, t.items.c.number.label("item_number")).join(
        t.items, t.items.c.id == t.journal_lines.c.item_id
    )


def _claim(conn: Connection, number: str, line_id: str) -> None:
    if not claim_external(conn, JOURNAL_KIND, number, line_id):
        raise Conflict(
            f"Item Journal Line with External Document No. '{number}' already exists.",
            field="externalDocumentNumber",
        )

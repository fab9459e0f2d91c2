"""Sales invoices and sales credit memos: create (with lines), post, change, read.

Posting moves stock: an invoice line takes its quantity out of its location, a credit
memo line puts it back. Lines added to, changed on or removed from a posted document move
stock at once, so stock always equals opening stock − posted invoice lines + posted
credit-memo lines ± journal lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, delete, func, select, update
from sqlalchemy.sql import ColumnElement

from mocks.erp.engine import catalog, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.errors import Conflict, Invalid, NotFound, PreconditionFailed
from mocks.erp.engine.fixed import from_fixed, round_amount, to_fixed
from mocks.erp.engine.query import Page
from mocks.erp.engine.raw import Raw, placeholders


class DocKind(StrEnum):
    """Document kinds; the value is stored."""

    INVOICE = "invoice"
    CREDIT_MEMO = "credit_memo"

    @property
    def entity(self) -> str:
        """Business Central's table caption, used in messages."""
        return "Sales Invoice" if self is DocKind.INVOICE else "Sales Credit Memo"

    @property
    def sign(self) -> int:
        """Stock direction of a posted line."""
        return -1 if self is DocKind.INVOICE else 1


class Duplicates(StrEnum):
    """What a second document with the same external document number does."""

    REJECT = "reject"
    ACCEPT = "accept"


@dataclass(frozen=True, slots=True)
class Policy:
    """Posting rules: ``duplicates`` of external document numbers; ``post_on_create``
    posts documents when they are created (else the client calls the post action)."""

    duplicates: Duplicates = Duplicates.REJECT
    post_on_create: bool = True


@dataclass(slots=True)
class LineInput:
    """One line as the client sent it; ``where`` is its API path for messages."""

    where: str
    quantity: Decimal
    line_type: str = "Item"
    item_id: str | None = None
    item_number: str | None = None
    location_id: str | None = None
    location_code: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    discount_amount: Decimal = Decimal(0)
    tax_percent: Decimal = Decimal(0)
    sequence: int | None = None


@dataclass(slots=True)
class DocumentInput:
    """A document header as the client sent it, with its lines."""

    kind: DocKind
    external_document_number: str = ""
    document_date: date | None = None
    posting_date: date | None = None
    due_date: date | None = None
    customer_id: str | None = None
    customer_number: str | None = None
    currency_code: str = ""
    prices_include_tax: bool = False
    invoice_id: str | None = None
    invoice_number: str | None = None
    lines: list[LineInput] = field(default_factory=list)


def create(conn: Connection, doc: DocumentInput, *, policy: Policy) -> dict[str, Any]:
    """Create a document with its lines; post it when the policy says so."""
    wanted = {
        t.customers: [(doc.customer_id, doc.customer_number)],
        t.items: [(ln.item_id, ln.item_number) for ln in doc.lines],
        t.locations: [(ln.location_id, ln.location_code) for ln in doc.lines],
    }
    with catalog.prefetch(conn, wanted):
        return _create(conn, doc, policy=policy)


def _create(conn: Connection, doc: DocumentInput, *, policy: Policy) -> dict[str, Any]:
    customer = _customer(conn, doc)
    invoice_id = _credited_invoice(conn, doc)
    today = catalog.now().date()
    doc_id = catalog.new_id()
    if doc.external_document_number and policy.duplicates is Duplicates.REJECT:
        _claim_external(conn, doc.kind, doc.external_document_number, doc_id)
    posted = policy.post_on_create
    header = {
        "id": doc_id,
        "kind": doc.kind.value,
        "external_document_number": doc.external_document_number,
        "document_date": doc.document_date or today,
        "posting_date": doc.posting_date or doc.document_date or today,
        "due_date": doc.due_date or doc.document_date or today,
        "customer_id": customer["id"],
        "currency_code": doc.currency_code,
        "prices_include_tax": doc.prices_include_tax,
        "invoice_id": invoice_id,
        "status": "Open" if posted else "Draft",
        "version": 1,
        "last_modified": catalog.now(),
    }
    names = {"customer_number": customer["number"], "customer_name": customer["display_name"]}
    rows, moves = _build_lines(conn, header, doc.lines, start=1, posted=posted)
    header["total_excl"] = sum(r["amount_excl"] for r in rows)
    header["total_tax"] = sum(r["tax_amount"] for r in rows)
    raw = Raw(conn)
    header["seq"] = raw.rows(_INSERT_HEADER, [header[c] for c in _HEADER_COLUMNS])[0][0]
    if rows:
        raw.many(_INSERT_LINE, [[r[c] for c in _LINE_COLUMNS] for r in rows], plain=True)
        stock.apply(conn, moves)
    return {**header, **names}


_HEADER_COLUMNS = (
    "id",
    "kind",
    "external_document_number",
    "document_date",
    "posting_date",
    "due_date",
    "customer_id",
    "currency_code",
    "prices_include_tax",
    "invoice_id",
    "status",
    "total_excl",
    "total_tax",
    "version",
    "last_modified",
)
_INSERT_HEADER = (
    f"INSERT INTO erp_documents ({', '.join(_HEADER_COLUMNS)}) "
    f"VALUES ({placeholders(len(_HEADER_COLUMNS))}) RETURNING seq"
)
_LINE_COLUMNS = (
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
_INSERT_LINE = (
    f"INSERT INTO erp_document_lines ({', '.join(_LINE_COLUMNS)}) "
    f"VALUES ({placeholders(len(_LINE_COLUMNS))})"
)


def post(conn: Connection, kind: DocKind, doc_id: str) -> dict[str, Any]:
    """Post a draft: its lines move stock; the document becomes ``Open``."""
    header = get(conn, kind, doc_id, lines=True)
    if header["status"] != "Draft":
        raise Invalid(f"The {kind.entity} {doc_id} is already posted.", field="id")
    stock.apply(
        conn,
        [
            (line["item_id"], line["location_code"], kind.sign * line["quantity"])
            for line in header["lines"]
            if line["item_id"]
        ],
    )
    _bump(conn, doc_id, header["version"], status="Open")
    return get(conn, kind, doc_id)


def get(conn: Connection, kind: DocKind, doc_id: str, *, lines: bool = False) -> dict[str, Any]:
    """One document (optionally with ``lines``), or NotFound."""
    row = conn.execute(
        _doc_select().where(t.documents.c.id == doc_id, t.documents.c.kind == kind.value)
    ).first()
    if row is None:
        raise NotFound(kind.entity, "Id", doc_id, field="id")
    header = dict(row._mapping)
    if lines:
        header["lines"] = lines_of(conn, doc_id)
    return header


def lines_of(conn: Connection, doc_id: str) -> list[dict[str, Any]]:
    """The lines of a document in sequence order."""
    stmt = (
        _line_select()
        .where(t.document_lines.c.document_id == doc_id)
        .order_by(t.document_lines.c.sequence)
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def list_documents(
    conn: Connection,
    kind: DocKind,
    *,
    where: Sequence[ColumnElement[bool]] = (),
    after: int | None,
    limit: int,
    with_lines: bool = False,
) -> Page:
    """Documents of ``kind`` in number order, ``limit`` at a time after sequence ``after``."""
    stmt = _doc_select().where(t.documents.c.kind == kind.value).order_by(t.documents.c.seq)
    for clause in where:
        stmt = stmt.where(clause)
    if after is not None:
        stmt = stmt.where(t.documents.c.seq > after)
    rows = [dict(r._mapping) for r in conn.execute(stmt.limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    if with_lines:
        for row in rows:
            row["lines"] = lines_of(conn, row["id"])
    return Page(rows, rows[-1]["seq"] if more else None)


def _doc_select() -> Select[Any]:
    return select(
        t.documents,
        t.customers.c.number.label("customer_number"),
        t.customers.c.display_name.label("customer_name"),
    ).join(t.customers, t.customers.c.id == t.documents.c.customer_id)


def _line_select() -> Select[Any]:
    return (
        select(
            t.document_lines,
            t.items.c.number.label("item_number"),
            t.locations.c.id.label("location_id"),
        )
        .outerjoin(t.items, t.items.c.id == t.document_lines.c.item_id)
        .outerjoin(t.locations, t.locations.c.code == t.document_lines.c.location_code)
    )


def get_line(conn: Connection, kind: DocKind, doc_id: str, line_id: str) -> dict[str, Any]:
    """One line of a document, or NotFound."""
    get(conn, kind, doc_id)
    row = conn.execute(
        _line_select().where(
            t.document_lines.c.id == line_id, t.document_lines.c.document_id == doc_id
        )
    ).first()
    if row is None:
        raise NotFound(f"{kind.entity} Line", "Id", line_id, field="id")
    return dict(row._mapping)


def add_lines(
    conn: Connection, kind: DocKind, doc_id: str, lines: Sequence[LineInput]
) -> list[dict[str, Any]]:
    """Append lines; on a posted document they move stock at once."""
    header = get(conn, kind, doc_id)
    last = conn.execute(
        select(func.max(t.document_lines.c.sequence)).where(
            t.document_lines.c.document_id == doc_id
        )
    ).scalar_one_or_none()
    rows, moves = _build_lines(
        conn, header, lines, start=(last or 0) + 1, posted=header["status"] != "Draft"
    )
    conn.execute(t.document_lines.insert(), rows)
    stock.apply(conn, moves)
    _refresh_totals(conn, header)
    return [get_line(conn, kind, doc_id, r["id"]) for r in rows]


def patch_line(
    conn: Connection,
    kind: DocKind,
    doc_id: str,
    line_id: str,
    changes: Mapping[str, Decimal | str],
    *,
    expected_version: int | None,
) -> dict[str, Any]:
    """Change quantity, unitPrice, discountAmount, taxPercent or description of a line."""
    header = get(conn, kind, doc_id)
    line = get_line(conn, kind, doc_id, line_id)
    catalog.check_version(line, expected_version)
    quantity = Decimal(changes["quantity"]) if "quantity" in changes else _dec(line["quantity"])
    price = Decimal(changes["unit_price"]) if "unit_price" in changes else _dec(line["unit_price"])
    discount = (
        Decimal(changes["discount_amount"])
        if "discount_amount" in changes
        else _dec(line["discount_amount"])
    )
    pct = Decimal(changes["tax_percent"]) if "tax_percent" in changes else _dec(line["tax_percent"])
    _check_amounts("", quantity, price, discount, pct)
    excl, tax = _amounts(quantity, price, discount, pct, bool(header["prices_include_tax"]))
    new_qty = to_fixed(quantity)
    values: dict[str, Any] = {
        "quantity": new_qty,
        "unit_price": to_fixed(price),
        "discount_amount": to_fixed(discount),
        "tax_percent": to_fixed(pct),
        "amount_excl": to_fixed(excl),
        "tax_amount": to_fixed(tax),
        "version": line["version"] + 1,
    }
    if "description" in changes:
        values["description"] = str(changes["description"])
    done = conn.execute(
        update(t.document_lines)
        .where(t.document_lines.c.id == line_id, t.document_lines.c.version == line["version"])
        .values(**values)
    ).rowcount
    if done != 1:
        raise PreconditionFailed("Another user has already changed the record.", field="If-Match")
    if header["status"] != "Draft" and line["item_id"] and new_qty != line["quantity"]:
        stock.apply(
            conn,
            [(line["item_id"], line["location_code"], kind.sign * (new_qty - line["quantity"]))],
        )
    _refresh_totals(conn, header)
    return get_line(conn, kind, doc_id, line_id)


def delete_line(
    conn: Connection, kind: DocKind, doc_id: str, line_id: str, *, expected_version: int | None
) -> None:
    """Remove a line; on a posted document its stock move is reversed."""
    header = get(conn, kind, doc_id)
    line = get_line(conn, kind, doc_id, line_id)
    catalog.check_version(line, expected_version)
    conn.execute(delete(t.document_lines).where(t.document_lines.c.id == line_id))
    if header["status"] != "Draft" and line["item_id"]:
        stock.apply(conn, [(line["item_id"], line["location_code"], -kind.sign * line["quantity"])])
    _refresh_totals(conn, header)


def patch(
    conn: Connection,
    kind: DocKind,
    doc_id: str,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    policy: Policy,
) -> dict[str, Any]:
    """Change header fields of a draft (posted documents cannot change)."""
    header = get(conn, kind, doc_id)
    catalog.check_version(header, expected_version)
    if header["status"] != "Draft":
        raise Invalid(f"The {kind.entity} {doc_id} is posted and cannot be changed.", field="id")
    values = dict(changes)
    if "customer_id" in values or "customer_number" in values:
        probe = DocumentInput(
            kind,
            customer_id=values.pop("customer_id", None),
            customer_number=values.pop("customer_number", None),
        )
        values["customer_id"] = _customer(conn, probe)["id"]
    new_ext = values.get("external_document_number")
    if new_ext is not None and new_ext != header["external_document_number"]:
        _release_external(conn, kind, header["external_document_number"], doc_id)
        if new_ext and policy.duplicates is Duplicates.REJECT:
            _claim_external(conn, kind, new_ext, doc_id)
    _bump(conn, doc_id, header["version"], **values)
    return get(conn, kind, doc_id)


def remove(conn: Connection, kind: DocKind, doc_id: str, *, expected_version: int | None) -> None:
    """Delete a draft and its lines."""
    header = get(conn, kind, doc_id)
    catalog.check_version(header, expected_version)
    if header["status"] != "Draft":
        raise Invalid(f"The {kind.entity} {doc_id} is posted and cannot be deleted.", field="id")
    _release_external(conn, kind, header["external_document_number"], doc_id)
    conn.execute(delete(t.document_lines).where(t.document_lines.c.document_id == doc_id))
    conn.execute(delete(t.documents).where(t.documents.c.id == doc_id))


def _customer(conn: Connection, doc: DocumentInput) -> dict[str, Any]:
    if not doc.customer_id and not doc.customer_number:
        raise Invalid(
            "A customer is required: send customerId or customerNumber.", field="customerNumber"
        )
    found = catalog.resolve(
        conn,
        t.customers,
        [(doc.customer_id, doc.customer_number)],
        fields=[("customerId", "customerNumber")],
    )[0]
    assert found is not None
    if found["blocked"]:
        raise Invalid(f"The Customer {found['number']} is blocked.", field="customerNumber")
    return found


def _credited_invoice(conn: Connection, doc: DocumentInput) -> str | None:
    if doc.kind is not DocKind.CREDIT_MEMO or not (doc.invoice_id or doc.invoice_number):
        return None
    if doc.invoice_id:
        row = conn.execute(
            select(t.documents.c.id).where(
                t.documents.c.id == doc.invoice_id, t.documents.c.kind == DocKind.INVOICE.value
            )
        ).first()
        if row is None:
            raise NotFound("Sales Invoice", "Id", doc.invoice_id, field="invoiceId")
        return str(row.id)
    assert doc.invoice_number is not None
    seq = _seq_of(doc.invoice_number)
    row = conn.execute(
        select(t.documents.c.id).where(
            t.documents.c.seq == seq, t.documents.c.kind == DocKind.INVOICE.value
        )
    ).first()
    if seq is None or row is None:
        raise NotFound("Sales Invoice", "No.", doc.invoice_number, field="invoiceNumber")
    return str(row.id)


def document_number(kind: DocKind | str, seq: int) -> str:
    """Business Central-like document numbers from the row sequence."""
    prefix = "S-INV" if DocKind(kind) is DocKind.INVOICE else "S-CR"
    return f"{prefix}{100000 + seq}"


def _seq_of(number: str) -> int | None:
    digits = number.removeprefix("S-INV").removeprefix("S-CR")
    return int(digits) - 100000 if digits.isdigit() else None


def claim_external(conn: Connection, kind: str, number: str, record_id: str) -> bool:
    """Claim an external document number for ``kind``; False when already taken."""
    claimed = Raw(conn).rows(
        "INSERT INTO erp_external_numbers (kind, number, document_id) VALUES (%s, %s, %s) "
        "ON CONFLICT DO NOTHING RETURNING kind",
        [kind, number, record_id],
    )
    return bool(claimed)


def _claim_external(conn: Connection, kind: DocKind, number: str, doc_id: str) -> None:
    if not claim_external(conn, kind.value, number, doc_id):
        raise Conflict(
            f"{kind.entity} with External Document No. '{number}' already exists.",
            field="externalDocumentNumber",
        )


def _release_external(conn: Connection, kind: DocKind, number: str, doc_id: str) -> None:
    if number:
        conn.execute(
            delete(t.external_numbers).where(
                t.external_numbers.c.kind == kind.value,
                t.external_numbers.c.number == number,
                t.external_numbers.c.document_id == doc_id,
            )
        )


def _build_lines(
    conn: Connection,
    header: Mapping[str, Any],
    lines: Sequence[LineInput],
    *,
    start: int,
    posted: bool,
) -> tuple[list[dict[str, Any]], list[stock.Move]]:
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
            price = _dec(item["unit_price"]) if item is not None else Decimal(0)
        _check_amounts(line.where, line.quantity, price, line.discount_amount, line.tax_percent)
        excl, tax = _amounts(
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


def _check_amounts(
    where: str, quantity: Decimal, price: Decimal, discount: Decimal, pct: Decimal
) -> None:
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


def _amounts(
    quantity: Decimal, price: Decimal, discount: Decimal, pct: Decimal, includes_tax: bool
) -> tuple[Decimal, Decimal]:
    gross = round_amount(quantity * price - discount)
    if includes_tax:
        excl = round_amount(gross / (1 + pct / 100))
        return excl, gross - excl
    return gross, round_amount(gross * pct / 100)


def _refresh_totals(conn: Connection, header: Mapping[str, Any]) -> None:
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


def _bump(conn: Connection, doc_id: str, version: int, **values: Any) -> None:
    done = conn.execute(
        update(t.documents)
        .where(t.documents.c.id == doc_id, t.documents.c.version == version)
        .values(**values, version=version + 1, last_modified=catalog.now())
    ).rowcount
    if done != 1:
        raise PreconditionFailed("Another user has already changed the record.", field="If-Match")


def _dec(fixed: int) -> Decimal:
    return from_fixed(fixed)

"""Sales invoices and sales credit memos: create (with lines), change, post, read.

As in Business Central, a document is created as a ``Draft`` (``Policy.posting``): its
header and lines can change, each change a new version (ETag), until it is posted. Only
posting moves stock (an invoice line takes its quantity out of its location, a credit memo
line puts it back) and gives the document the next number of its posted series; a posted
document can no longer change. So stock always equals opening stock − posted invoice lines
+ posted credit-memo lines ± journal lines, whatever drafts exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, Table, delete, func, select, update
from sqlalchemy.sql import ColumnElement

from mocks.core.commit import defer
from mocks.erp.engine import catalog, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.claims import (
    check_claim,
    claim_document,
    claim_external,
    release_document,
    send_claim,
)
from mocks.erp.engine.errors import ErpError, Invalid, NotFound, PreconditionFailed
from mocks.erp.engine.fixed import to_fixed
from mocks.erp.engine.lines import (
    INSERT_LINES,
    LINE_COLUMNS,
    amounts,
    build_lines,
    check_amounts,
    dec,
    line_select,
    lines_of,
    refresh_totals,
)
from mocks.erp.engine.model import (
    DocKind,
    DocumentInput,
    Duplicates,
    LineInput,
    Policy,
    draft_number,
)
from mocks.erp.engine.numbers import document_number, posted_number
from mocks.erp.engine.query import Page
from mocks.erp.engine.raw import Raw, placeholders

__all__ = [
    "DocKind",
    "DocumentInput",
    "Duplicates",
    "LineInput",
    "Policy",
    "add_lines",
    "claim_external",
    "create",
    "delete_line",
    "draft_number",
    "get",
    "get_line",
    "lines_of",
    "list_documents",
    "patch",
    "patch_line",
    "post",
    "remove",
]


def create(
    conn: Connection, doc: DocumentInput, *, policy: Policy, defer_checks: bool = False
) -> dict[str, Any]:
    """Create a document with its lines; post it when the policy says so.

    ``defer_checks`` (group commit only): the duplicate check and the document number are
    read at the end of the batch (``mocks.core.commit.defer``); the returned row gets its
    ``seq`` then, and a duplicate fails the batch's attempt instead of this call."""
    with catalog.prefetch(conn, master_data(doc)):
        return _create(conn, doc, policy=policy, defer_checks=defer_checks)


def master_data(doc: DocumentInput) -> dict[Table, list[tuple[str | None, str | None]]]:
    """The customers, items and locations a document refers to, as (id, number/code)."""
    return {
        t.customers: [(doc.customer_id, doc.customer_number)],
        t.items: [(ln.item_id, ln.item_number) for ln in doc.lines],
        t.locations: [(ln.location_id, ln.location_code) for ln in doc.lines],
    }


def _create(
    conn: Connection, doc: DocumentInput, *, policy: Policy, defer_checks: bool
) -> dict[str, Any]:
    customer = _customer(conn, doc)
    invoice_id = _credited_invoice(conn, doc)
    today = catalog.now().date()
    doc_id = catalog.new_id()
    posted = policy.post_on_create
    header: dict[str, Any] = {
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
        "posted_number": posted_number(conn, doc.kind) if posted else None,
        "version": 1,
        "last_modified": catalog.now(),
    }
    names = {"customer_number": customer["number"], "customer_name": customer["display_name"]}
    claiming = bool(doc.external_document_number) and policy.duplicates is Duplicates.REJECT
    try:
        rows, moves = build_lines(conn, header, doc.lines, start=1, posted=posted)
    except ErpError:
        if claiming:  # a taken number is reported before bad lines
            claim_document(conn, doc.kind, doc.external_document_number, doc_id)
        raise
    header["total_excl"] = sum(r["amount_excl"] for r in rows)
    header["total_tax"] = sum(r["tax_amount"] for r in rows)
    raw = Raw(conn)
    claim = None
    with raw.pipeline():
        if claiming:
            claim = send_claim(raw, doc.kind, doc.external_document_number, doc_id)
        inserted = raw.send(_INSERT_HEADER, [header[c] for c in _HEADER_COLUMNS])
        if rows:
            raw.insert_rows(INSERT_LINES, [[r[c] for c in LINE_COLUMNS] for r in rows])
    out = {**header, **names}

    def finish() -> None:
        if claim is not None:
            check_claim(doc.kind, doc.external_document_number, claim)
        out["seq"] = inserted.fetchall()[0][0]

    if defer_checks:
        defer(conn, finish)
    else:
        finish()
    if rows:
        stock.apply(conn, moves)
    return out


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
    "posted_number",
    "total_excl",
    "total_tax",
    "version",
    "last_modified",
)
_INSERT_HEADER = (
    f"INSERT INTO erp_documents ({', '.join(_HEADER_COLUMNS)}) "
    f"VALUES ({placeholders(len(_HEADER_COLUMNS))}) RETURNING seq"
)


def posted_message(kind: DocKind) -> str:
    """Business Central's refusal to change a posted document."""
    return f"The {kind.noun} has been posted and can no longer be modified."


def post(conn: Connection, kind: DocKind, doc_id: str) -> dict[str, Any]:
    """Post a draft: it takes the next number of its posted series, its lines move stock
    and it becomes ``Open``; from then on it cannot change."""
    header = get(conn, kind, doc_id, lines=True)
    if header["status"] != "Draft":
        raise Invalid(f"The action can be applied to a draft {kind.noun} only.", field="id")
    if not header["lines"]:
        raise Invalid("There is nothing to post.", field="id")
    stock.apply(
        conn,
        [
            (line["item_id"], line["location_code"], kind.sign * line["quantity"])
            for line in header["lines"]
            if line["item_id"]
        ],
    )
    _bump(conn, doc_id, header["version"], status="Open", posted_number=posted_number(conn, kind))
    return get(conn, kind, doc_id)


def _draft(header: Mapping[str, Any], kind: DocKind) -> None:
    """Invalid unless the document is still a draft."""
    if header["status"] != "Draft":
        raise Invalid(posted_message(kind), field="id")


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


def get_line(conn: Connection, kind: DocKind, doc_id: str, line_id: str) -> dict[str, Any]:
    """One line of a document, or NotFound."""
    get(conn, kind, doc_id)
    row = conn.execute(
        line_select().where(
            t.document_lines.c.id == line_id, t.document_lines.c.document_id == doc_id
        )
    ).first()
    if row is None:
        raise NotFound(f"{kind.entity} Line", "Id", line_id, field="id")
    return dict(row._mapping)


def add_lines(
    conn: Connection, kind: DocKind, doc_id: str, lines: Sequence[LineInput]
) -> list[dict[str, Any]]:
    """Append lines to a draft."""
    header = get(conn, kind, doc_id)
    _draft(header, kind)
    last = conn.execute(
        select(func.max(t.document_lines.c.sequence)).where(
            t.document_lines.c.document_id == doc_id
        )
    ).scalar_one_or_none()
    rows, _moves = build_lines(conn, header, lines, start=(last or 0) + 1, posted=False)
    conn.execute(t.document_lines.insert(), rows)
    _touch(conn, header)
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
    """Change quantity, unitPrice, discountAmount, taxPercent or description of a draft's
    line."""
    header = get(conn, kind, doc_id)
    _draft(header, kind)
    line = get_line(conn, kind, doc_id, line_id)
    catalog.check_version(line, expected_version)
    quantity = Decimal(changes["quantity"]) if "quantity" in changes else dec(line["quantity"])
    price = Decimal(changes["unit_price"]) if "unit_price" in changes else dec(line["unit_price"])
    discount = (
        Decimal(changes["discount_amount"])
        if "discount_amount" in changes
        else dec(line["discount_amount"])
    )
    pct = Decimal(changes["tax_percent"]) if "tax_percent" in changes else dec(line["tax_percent"])
    check_amounts("", quantity, price, discount, pct)
    excl, tax = amounts(quantity, price, discount, pct, bool(header["prices_include_tax"]))
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
    _touch(conn, header)
    return get_line(conn, kind, doc_id, line_id)


def delete_line(
    conn: Connection, kind: DocKind, doc_id: str, line_id: str, *, expected_version: int | None
) -> None:
    """Remove a line of a draft."""
    header = get(conn, kind, doc_id)
    _draft(header, kind)
    line = get_line(conn, kind, doc_id, line_id)
    catalog.check_version(line, expected_version)
    conn.execute(delete(t.document_lines).where(t.document_lines.c.id == line_id))
    _touch(conn, header)


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
    _draft(header, kind)
    catalog.check_version(header, expected_version)
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
        release_document(conn, kind, header["external_document_number"], doc_id)
        if new_ext and policy.duplicates is Duplicates.REJECT:
            claim_document(conn, kind, new_ext, doc_id)
    _bump(conn, doc_id, header["version"], **values)
    return get(conn, kind, doc_id)


def remove(conn: Connection, kind: DocKind, doc_id: str, *, expected_version: int | None) -> None:
    """Delete a draft and its lines."""
    header = get(conn, kind, doc_id)
    _draft(header, kind)
    catalog.check_version(header, expected_version)
    release_document(conn, kind, header["external_document_number"], doc_id)
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
    row = conn.execute(
        select(t.documents.c.id).where(
            document_number() == doc.invoice_number, t.documents.c.kind == DocKind.INVOICE.value
        )
    ).first()
    if row is None:
        raise NotFound("Sales Invoice", "No.", doc.invoice_number, field="invoiceNumber")
    return str(row.id)


def _touch(conn: Connection, header: Mapping[str, Any]) -> None:
    """A line of the document changed: new totals, and a new version of the header (its
    ETag changes, as Business Central's does when its lines change)."""
    refresh_totals(conn, header)
    conn.execute(
        update(t.documents)
        .where(t.documents.c.id == header["id"])
        .values(version=t.documents.c.version + 1)
    )


def _bump(conn: Connection, doc_id: str, version: int, **values: Any) -> None:
    done = conn.execute(
        update(t.documents)
        .where(t.documents.c.id == doc_id, t.documents.c.version == version)
        .values(**values, version=version + 1, last_modified=catalog.now())
    ).rowcount
    if done != 1:
        raise PreconditionFailed("Another user has already changed the record.", field="If-Match")

"""The record service, ``/services/rest/record/v1/{type}``: create (204 + ``Location``),
get (``?expandSubResources=true`` for sublists), update (PATCH), upsert by external id
(PUT ``…/eid:{externalId}``), delete and the collection (``limit``/``offset``).

Record types and what they are in the engine:

- ``cashSale`` → a sales invoice posted when saved (stock leaves the line's location);
- ``creditMemo`` → a sales credit memo posted when saved (stock comes back);
- ``customer``, ``inventoryItem``, ``location`` → master data; ``externalId`` is the
  engine's number (customer, item) or code (location).

Transactions get NetSuite-style integer internal ids (the engine's row sequence); master
records keep the engine's GUIDs as ids. ``handle`` serves one call and is shared by the
synchronous route and the async job runner (``jobs.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Table, func, select
from starlette.responses import Response

from mocks.core import MockContext
from mocks.core.handlers import validation_problem
from mocks.erp.engine import (
    DocKind,
    DocumentInput,
    Duplicates,
    LineInput,
    Policy,
    Posting,
    catalog,
    stock,
)
from mocks.erp.engine import documents as docs
from mocks.erp.engine import tables as t
from mocks.erp.engine.fixed import as_number, to_fixed
from mocks.erp.engine.numbers import master_number
from mocks.erp.netsuite import adjustments
from mocks.erp.netsuite.errors import ns_error
from mocks.erp.netsuite.schemas import (
    AdjustmentIn,
    CustomerIn,
    ItemIn,
    LineIn,
    LocationIn,
    Ref,
    TransactionIn,
)

__all__ = ["PREFIX", "RECORD_TYPES", "Call", "handle"]

PREFIX = "/services/rest/record/v1"

TRANSACTIONS = {"cashSale": DocKind.INVOICE, "creditMemo": DocKind.CREDIT_MEMO}
MASTER: dict[str, Table] = {
    "customer": t.customers,
    "inventoryItem": t.items,
    "location": t.locations,
}
ADJUSTMENT = "inventoryAdjustment"
RECORD_TYPES = (*TRANSACTIONS, ADJUSTMENT, *MASTER)
_KEY = {t.customers: "number", t.items: "number", t.locations: "code"}
_SERIES = {t.customers: "customer", t.items: "item"}
MAX_LIMIT = 1000
_POLICY = Policy(duplicates=Duplicates.REJECT, posting=Posting.ON_CREATE)
"""NetSuite: a transaction posts when saved; externalId is unique per record type."""


@dataclass(frozen=True, slots=True)
class Call:
    """One record-service request, as the route or an async job hands it over."""

    method: str
    path: str
    """The part after ``/services/rest/record/v1/``, e.g. ``cashSale/12``."""
    query: Mapping[str, str]
    body: bytes
    base: str
    """``scheme://host`` of the request, for ``Location`` and ``links``."""


def _json(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


def _href(call: Call, record_type: str, record_id: object) -> str:
    return f"{call.base}{PREFIX}/{record_type}/{record_id}"


def _parse(model: type[BaseModel], body: bytes) -> Any:
    if not body.strip():
        raise ns_error(
            400, "The request body is empty; send the record as JSON.", "INVALID_CONTENT"
        )
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        problem = validation_problem(exc.errors())
        raise ns_error(400, problem.message, "INVALID_CONTENT", field=problem.field) from None


async def handle(ctx: MockContext, call: Call) -> Response:
    """Serve one record-service call; raises ``ApiError`` / ``ErpError`` on failure."""
    parts = [p for p in call.path.split("/") if p]
    if not parts or parts[0] not in RECORD_TYPES:
        got = parts[0] if parts else ""
        raise ns_error(
            404,
            f"Record type '{got}' does not exist or is not covered; the mock serves "
            f"{', '.join(RECORD_TYPES)}.",
            "INVALID_RCRD_TYPE",
            field="recordType",
        )
    record_type, rest = parts[0], parts[1:]
    if len(rest) > 2 or (len(rest) == 2 and rest[1] != "item"):
        raise ns_error(404, f"No resource at {PREFIX}/{call.path}.", "NONEXISTENT_ID")
    ref = rest[0] if rest else None
    if record_type == ADJUSTMENT:
        return await _adjustment(ctx, call, ref, rest)
    if call.method == "GET":
        if ref is None:
            return await _collection(ctx, call, record_type)
        return await _get(ctx, call, record_type, ref, sublist=len(rest) == 2)
    if len(rest) == 2:
        raise ns_error(405, "Sublists are changed through their record.", "INVALID_METHOD")
    if call.method == "POST" and ref is None:
        return await _create(ctx, call, record_type, None)
    if call.method == "PUT" and ref is not None:
        if not ref.startswith("eid:"):
            raise ns_error(
                400,
                "PUT is an upsert by external ID: address the record as eid:<externalId>.",
                "INVALID_PARAMETER",
                field="id",
            )
        return await _create(ctx, call, record_type, ref[4:])
    if call.method == "PATCH" and ref is not None:
        return await _patch(ctx, call, record_type, ref)
    if call.method == "DELETE" and ref is not None:
        return await _delete(ctx, record_type, ref)
    raise ns_error(405, f"{call.method} is not allowed on {PREFIX}/{call.path}.", "INVALID_METHOD")


# ---------------------------------------------------------------------------- adjustments


async def _adjustment(ctx: MockContext, call: Call, ref: str | None, rest: list[str]) -> Response:
    if len(rest) == 2 and rest[1] != "inventory":
        raise ns_error(404, f"No resource at {PREFIX}/{call.path}.", "NONEXISTENT_ID")
    if call.method == "GET" and ref is None:
        return await _collection(ctx, call, ADJUSTMENT)
    if call.method == "GET" and ref is not None:
        with ctx.db.begin() as conn:
            found = adjustments.find(conn, ref)
            if found is None:
                raise ns_error(
                    404,
                    f"The record instance does not exist. Provide a valid record instance ID, "
                    f"got {ref!r}.",
                    "NONEXISTENT_ID",
                    field="id",
                )
            body = adjustments.adjustment_json(
                found, adjustments.lines_of(conn, found), _href(call, ADJUSTMENT, found)
            )
        return _json(body["inventory"] if len(rest) == 2 else body)
    if (call.method == "POST" and ref is None) or (
        call.method == "PUT" and ref is not None and ref.startswith("eid:")
    ):
        body_in: AdjustmentIn = _parse(AdjustmentIn, call.body)
        external_id = ref[4:] if ref is not None else None
        if external_id is not None and body_in.externalId and body_in.externalId != external_id:
            raise ns_error(
                400,
                f"externalId {body_in.externalId!r} differs from the external ID in the URL "
                f"{external_id!r}.",
                "INVALID_CONTENT",
                field="externalId",
            )
        adjustment_id = await ctx.committer.run(
            lambda conn: adjustments.create(conn, body_in, external_id)
        )
        return _created(call, ADJUSTMENT, adjustment_id)
    raise ns_error(
        405,
        f"{call.method} is not allowed on {PREFIX}/{call.path} (the mock does not change or "
        "delete saved adjustments).",
        "INVALID_METHOD",
    )


# ---------------------------------------------------------------------------- reads


async def _collection(ctx: MockContext, call: Call, record_type: str) -> Response:
    if "q" in call.query:
        raise ns_error(
            400,
            "The q filter of record collections is not supported by the mock; use SuiteQL.",
            "INVALID_PARAMETER",
            field="q",
        )
    limit = _int(call.query, "limit", 1000, 1, MAX_LIMIT)
    offset = _int(call.query, "offset", 0, 0, 10**9)
    with ctx.db.begin() as conn:
        if record_type == ADJUSTMENT:
            number = t.journal_lines.c.document_number
            base = (
                select(number.label("rid"))
                .join(t.item_journals, t.item_journals.c.id == t.journal_lines.c.journal_id)
                .where(t.item_journals.c.code == adjustments.JOURNAL, number != "")
                .group_by(number)
            )
            order: Any = func.min(t.journal_lines.c.seq)
        elif record_type in TRANSACTIONS:
            base = select(t.documents.c.seq.label("rid")).where(
                t.documents.c.kind == TRANSACTIONS[record_type].value
            )
            order = t.documents.c.seq
        else:
            table = MASTER[record_type]
            base = select(table.c.id.label("rid"))
            order = table.c[_KEY[table]]
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        ids = [r.rid for r in conn.execute(base.order_by(order).limit(limit).offset(offset))]
    return _json(
        page_body(
            f"{call.base}{PREFIX}/{record_type}",
            [
                {"links": [{"rel": "self", "href": _href(call, record_type, i)}], "id": str(i)}
                for i in ids
            ],
            limit=limit,
            offset=offset,
            total=total,
        )
    )


def page_body(
    url: str, items: list[dict[str, Any]], *, limit: int, offset: int, total: int
) -> dict[str, Any]:
    """A NetSuite collection page: ``links`` (first/prev/next/last/self), ``count``,
    ``hasMore``, ``items``, ``offset``, ``totalResults``."""

    def link(rel: str, at: int) -> dict[str, str]:
        return {"rel": rel, "href": f"{url}?limit={limit}&offset={at}"}

    has_more = offset + len(items) < total
    last = max(0, (total - 1) // limit * limit) if total else 0
    links = [link("first", 0)]
    if offset > 0:
        links.append(link("previous", max(0, offset - limit)))
    if has_more:
        links.append(link("next", offset + limit))
    links += [link("last", last), link("self", offset)]
    return {
        "links": links,
        "count": len(items),
        "hasMore": has_more,
        "items": items,
        "offset": offset,
        "totalResults": total,
    }


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ns_error(
            400,
            f"The value of the '{name}' query parameter must be an integer from {low} to "
            f"{high}, got {raw!r}.",
            "INVALID_PARAMETER",
            field=name,
        )
    return int(raw)


async def _get(
    ctx: MockContext, call: Call, record_type: str, ref: str, *, sublist: bool
) -> Response:
    expand = (call.query.get("expandSubResources") or "").lower() == "true" or sublist
    with ctx.db.begin() as conn:
        if record_type in TRANSACTIONS:
            kind = TRANSACTIONS[record_type]
            row = docs.get(conn, kind, _doc_id(conn, kind, ref), lines=expand)
            body = transaction_json(conn, call, record_type, row, expand=expand)
            if sublist:
                return _json(body["item"])
            return _json(body)
        if sublist:
            raise ns_error(404, f"{record_type} has no item sublist.", "NONEXISTENT_ID")
        table = MASTER[record_type]
        return _json(master_json(conn, call, record_type, _master_row(conn, table, ref)))


def _doc_id(conn: Connection, kind: DocKind, ref: str) -> str:
    """The engine id of the transaction ``ref`` (internal id or ``eid:``), or 404."""
    cond = (
        t.documents.c.external_document_number == ref[4:]
        if ref.startswith("eid:")
        else (t.documents.c.seq == int(ref) if ref.isdigit() and len(ref) < 12 else None)
    )
    row = (
        conn.execute(select(t.documents.c.id).where(cond, t.documents.c.kind == kind.value)).first()
        if cond is not None
        else None
    )
    if row is None:
        raise ns_error(
            404,
            f"The record instance does not exist. Provide a valid record instance ID, got {ref!r}.",
            "NONEXISTENT_ID",
            field="id",
        )
    return str(row.id)


def _master_row(conn: Connection, table: Table, ref: str) -> dict[str, Any]:
    col = table.c[_KEY[table]] if ref.startswith("eid:") else table.c.id
    key = ref[4:] if ref.startswith("eid:") else ref
    row = conn.execute(select(table).where(col == key)).first()
    if row is None:
        raise ns_error(
            404,
            f"The record instance does not exist. Provide a valid record instance ID, got {ref!r}.",
            "NONEXISTENT_ID",
            field="id",
        )
    return dict(row._mapping)


def _iso(value: Any) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text + "Z" if "T" in text and not text.endswith("Z") else text


def _amount(fixed: int) -> float:
    return as_number(fixed)


def transaction_json(
    conn: Connection, call: Call, record_type: str, row: Mapping[str, Any], *, expand: bool
) -> dict[str, Any]:
    """A cash sale or credit memo as NetSuite shows it."""
    seq = row["seq"]
    href = _href(call, record_type, seq)
    body: dict[str, Any] = {
        "links": [{"rel": "self", "href": href}],
        "id": str(seq),
        "externalId": row["external_document_number"] or None,
        "tranId": row["posted_number"],
        "tranDate": row["document_date"].isoformat(),
        "entity": {
            "links": [{"rel": "self", "href": _href(call, "customer", row["customer_id"])}],
            "id": row["customer_id"],
            "refName": row["customer_name"],
        },
        "currency": {"id": "1", "refName": row["currency_code"] or "USD"},
        "subtotal": _amount(row["total_excl"]),
        "taxTotal": _amount(row["total_tax"]),
        "total": _amount(row["total_excl"] + row["total_tax"]),
        "status": {"id": "C", "refName": "Deposited"}
        if record_type == "cashSale"
        else {"id": "B", "refName": "Fully Applied"},
        "lastModifiedDate": _iso(row["last_modified"]),
    }
    if row.get("invoice_id"):
        sale = conn.execute(
            select(t.documents.c.seq).where(t.documents.c.id == row["invoice_id"])
        ).scalar_one()
        body["createdFrom"] = {
            "links": [{"rel": "self", "href": _href(call, "cashSale", sale)}],
            "id": str(sale),
        }
    body = {k: v for k, v in body.items() if v is not None}
    item: dict[str, Any] = {"links": [{"rel": "self", "href": f"{href}/item"}]}
    if expand:
        lines = row.get("lines")
        if lines is None:
            lines = docs.lines_of(conn, row["id"])
        codes = {r.code: r.id for r in conn.execute(select(t.locations.c.id, t.locations.c.code))}
        numbers = _item_numbers(conn, [ln["item_id"] for ln in lines if ln["item_id"]])
        item.update(
            count=len(lines),
            hasMore=False,
            offset=0,
            totalResults=len(lines),
            items=[_line_json(ln, codes, numbers) for ln in lines],
        )
    body["item"] = item
    return body


def _item_numbers(conn: Connection, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = conn.execute(select(t.items.c.id, t.items.c.number).where(t.items.c.id.in_(ids)))
    return {r.id: r.number for r in rows}


def _line_json(
    line: Mapping[str, Any], codes: Mapping[str, str], numbers: Mapping[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "line": line["sequence"] // 10000 or line["sequence"],
        "item": {"id": line["item_id"], "refName": numbers.get(line["item_id"], "")},
        "description": line["description"],
        "quantity": _amount(line["quantity"]),
        "rate": _amount(line["unit_price"]),
        "amount": _amount(line["amount_excl"]),
        "taxRate1": _amount(line["tax_percent"]),
        "tax1Amt": _amount(line["tax_amount"]),
    }
    if line["location_code"]:
        out["location"] = {
            "id": codes.get(line["location_code"], ""),
            "refName": line["location_code"],
        }
    return out


def master_json(
    conn: Connection, call: Call, record_type: str, row: Mapping[str, Any]
) -> dict[str, Any]:
    """A customer, inventory item or location as NetSuite shows it."""
    links = [{"rel": "self", "href": _href(call, record_type, row["id"])}]
    common = {"links": links, "id": row["id"], "lastModifiedDate": _iso(row["last_modified"])}
    if record_type == "customer":
        return {
            **common,
            "externalId": row["number"],
            "entityId": row["number"],
            "companyName": row["display_name"],
            "email": row["email"],
            "phone": row["phone_number"],
            "isInactive": bool(row["blocked"]),
        }
    if record_type == "inventoryItem":
        on_hand = stock.totals(conn, [row["id"]]).get(row["id"], 0)
        return {
            **common,
            "externalId": row["number"],
            "itemId": row["number"],
            "displayName": row["display_name"],
            "basePrice": _amount(row["unit_price"]),
            "cost": _amount(row["unit_cost"]),
            "upcCode": row["gtin"],
            "isInactive": bool(row["blocked"]),
            "totalQuantityOnHand": _amount(on_hand),
        }
    return {**common, "externalId": row["code"], "name": row["display_name"]}


# ---------------------------------------------------------------------------- writes


def _ref(ref: Ref | None) -> tuple[str | None, str | None]:
    return (ref.id, ref.externalId) if ref is not None else (None, None)


def _line_input(line: LineIn, index: int, header_location: Ref | None) -> LineInput:
    item_id, item_number = _ref(line.item)
    loc_id, loc_code = _ref(line.location or header_location)
    discount = Decimal(0)
    if line.amount is not None:
        if line.rate is None:
            raise ns_error(
                400,
                "A line with an amount needs its rate too.",
                "INVALID_CONTENT",
                field=f"item.items[{index}].rate",
            )
        discount = line.quantity * line.rate - line.amount
        if discount < 0:
            raise ns_error(
                400,
                f"The amount {line.amount} is above quantity × rate.",
                "INVALID_CONTENT",
                field=f"item.items[{index}].amount",
            )
    return LineInput(
        where=f"item.items[{index}]",
        quantity=line.quantity,
        item_id=item_id,
        item_number=item_number,
        location_id=loc_id,
        location_code=loc_code,
        description=line.description,
        unit_price=line.rate,
        discount_amount=discount,
        tax_percent=line.taxRate1,
    )


def _document_input(kind: DocKind, body: TransactionIn, external_id: str | None) -> DocumentInput:
    if body.entity is None:
        raise ns_error(
            400,
            "Please enter value(s) for: Customer.",
            "USER_ERROR",
            field="entity",
        )
    if not body.item.items:
        raise ns_error(
            400,
            "You must enter at least one line item for this transaction.",
            "USER_ERROR",
            field="item",
        )
    customer_id, customer_number = _ref(body.entity)
    return DocumentInput(
        kind=kind,
        external_document_number=external_id or body.externalId or "",
        document_date=body.tranDate,
        posting_date=body.tranDate,
        customer_id=customer_id,
        customer_number=customer_number,
        lines=[_line_input(x, i, body.location) for i, x in enumerate(body.item.items)],
    )


def _created(call: Call, record_type: str, record_id: object) -> Response:
    return Response(status_code=204, headers={"Location": _href(call, record_type, record_id)})


async def _create(
    ctx: MockContext, call: Call, record_type: str, external_id: str | None
) -> Response:
    if record_type in TRANSACTIONS:
        return await _create_transaction(ctx, call, record_type, external_id)
    table = MASTER[record_type]
    values = _master_values(record_type, call.body, creating=True, external_id=external_id)

    def work(conn: Connection) -> str:
        if external_id is not None:
            found = conn.execute(
                select(table.c.id).where(table.c[_KEY[table]] == external_id)
            ).first()
            if found is not None:
                changes = {k: v for k, v in values.items() if k != _KEY[table]}
                if changes:
                    catalog.patch(conn, table, found.id, changes, expected_version=None)
                return str(found.id)
        row = dict(values)
        if not row.get(_KEY[table]):
            if table not in _SERIES:
                raise ns_error(
                    400,
                    "Please enter value(s) for: External ID.",
                    "USER_ERROR",
                    field="externalId",
                )

            def taken(number: str) -> bool:
                key = table.c[_KEY[table]]
                return conn.execute(select(table.c.id).where(key == number)).first() is not None

            row[_KEY[table]] = master_number(conn, _SERIES[table], taken)
        row.setdefault("display_name", row[_KEY[table]])
        if table is t.items:
            row.setdefault("unit_price", 0)
        return str(catalog.create(conn, table, row)["id"])

    record_id = await ctx.committer.run(work)
    return _created(call, record_type, record_id)


_MASTER_FIELDS: dict[str, tuple[type[BaseModel], dict[str, str]]] = {
    "customer": (
        CustomerIn,
        {
            "externalId": "number",
            "entityId": "number",
            "companyName": "display_name",
            "email": "email",
            "phone": "phone_number",
            "isInactive": "blocked",
        },
    ),
    "inventoryItem": (
        ItemIn,
        {
            "externalId": "number",
            "itemId": "number",
            "displayName": "display_name",
            "basePrice": "unit_price",
            "cost": "unit_cost",
            "upcCode": "gtin",
            "isInactive": "blocked",
        },
    ),
    "location": (LocationIn, {"externalId": "code", "name": "display_name"}),
}


def _master_values(
    record_type: str, raw: bytes, *, creating: bool, external_id: str | None = None
) -> dict[str, Any]:
    model, columns = _MASTER_FIELDS[record_type]
    body = _parse(model, raw)
    sent = body.model_dump(exclude_unset=True, exclude_none=True)
    if external_id is not None:
        key_fields = [f for f, c in columns.items() if c in ("number", "code")]
        for name in key_fields:
            if name in sent and sent[name] != external_id:
                raise ns_error(
                    400,
                    f"{name} {sent[name]!r} differs from the external ID in the URL "
                    f"{external_id!r}.",
                    "INVALID_CONTENT",
                    field=name,
                )
        sent[key_fields[0]] = external_id
    values: dict[str, Any] = {}
    for name, value in sent.items():
        column = columns[name]
        if column in values and values[column] != value:
            raise ns_error(
                400,
                "The mock keeps entityId/itemId and externalId equal; send one of them.",
                "INVALID_CONTENT",
                field=name,
            )
        if column in ("unit_price", "unit_cost"):
            value = to_fixed(value)
        elif column == "blocked":
            value = (bool(value)) if record_type == "inventoryItem" else ("All" if value else "")
        values[column] = value
    del creating
    return values


async def _create_transaction(
    ctx: MockContext, call: Call, record_type: str, external_id: str | None
) -> Response:
    kind = TRANSACTIONS[record_type]
    body: TransactionIn = _parse(TransactionIn, call.body)
    if external_id is not None and body.externalId and body.externalId != external_id:
        raise ns_error(
            400,
            f"externalId {body.externalId!r} differs from the external ID in the URL "
            f"{external_id!r}.",
            "INVALID_CONTENT",
            field="externalId",
        )
    doc = _document_input(kind, body, external_id)
    credited = body.createdFrom

    def work(conn: Connection) -> int:
        if external_id is not None:
            existing = conn.execute(
                select(t.documents.c.id, t.documents.c.seq).where(
                    t.documents.c.kind == kind.value,
                    t.documents.c.external_document_number == external_id,
                )
            ).first()
            if existing is not None:
                _same_lines(conn, existing.id, doc)
                return int(existing.seq)
        if credited is not None:
            if credited.id is not None:
                doc.invoice_id = _doc_id(conn, DocKind.INVOICE, credited.id)
            else:
                doc.invoice_id = _doc_id(conn, DocKind.INVOICE, f"eid:{credited.externalId}")
        row = docs.create(conn, doc, policy=_POLICY)
        return int(row["seq"])

    seq = await ctx.committer.run(work, hint=docs.master_data(doc))
    return _created(call, record_type, seq)


def _same_lines(conn: Connection, doc_id: str, doc: DocumentInput) -> None:
    """An upsert of a saved transaction: the lines must be those already saved (the mock
    cannot change a posted transaction's lines)."""
    have = [
        (ln["item_id"], ln["quantity"], ln["location_code"]) for ln in docs.lines_of(conn, doc_id)
    ]
    items = {r.id: r.number for r in conn.execute(select(t.items.c.id, t.items.c.number))}
    codes = {r.id: r.code for r in conn.execute(select(t.locations.c.id, t.locations.c.code))}
    want = []
    for line in doc.lines:
        item = (
            line.item_id
            if line.item_id
            else next((i for i, n in items.items() if n == line.item_number), None)
        )
        code = codes.get(line.location_id or "", line.location_code or "")
        want.append((item, to_fixed(line.quantity), code))
    if sorted(have, key=repr) != sorted(want, key=repr):
        raise ns_error(
            400,
            "The transaction with this external ID is already saved with other lines; the "
            "mock does not change the lines of a saved transaction.",
            "USER_ERROR",
            field="item",
        )


async def _patch(ctx: MockContext, call: Call, record_type: str, ref: str) -> Response:
    if record_type in TRANSACTIONS:
        raise ns_error(
            400,
            "The mock does not change saved transactions (cash sales and credit memos post "
            "when saved).",
            "USER_ERROR",
            field="id",
        )
    table = MASTER[record_type]
    values = _master_values(record_type, call.body, creating=False)

    def work(conn: Connection) -> str:
        row = _master_row(conn, table, ref)
        if values:
            catalog.patch(conn, table, row["id"], values, expected_version=None)
        return str(row["id"])

    record_id = await ctx.committer.run(work)
    return _created(call, record_type, record_id)


async def _delete(ctx: MockContext, record_type: str, ref: str) -> Response:
    if record_type in TRANSACTIONS:
        raise ns_error(
            400,
            "The mock does not delete saved transactions.",
            "USER_ERROR",
            field="id",
        )
    table = MASTER[record_type]

    def work(conn: Connection) -> None:
        row = _master_row(conn, table, ref)
        catalog.remove(conn, table, row["id"], expected_version=None)

    await ctx.committer.run(work)
    return Response(status_code=204)

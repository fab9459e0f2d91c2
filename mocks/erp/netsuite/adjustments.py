"""``inventoryAdjustment``: quantity deltas per item and location, applied when saved
(NetSuite's Adjust Inventory transaction). In the engine each line is an item journal line
of the ``NSADJ`` journal; the lines of one adjustment share its internal id (their
``document_number``) and its ``externalId``, claimed once (unique per record type).

Internal ids of adjustments start at `ID_BASE` + 1 so that they never equal a cash sale's
or credit memo's (NetSuite numbers every transaction from one sequence).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from mocks.erp.engine import Duplicates, JournalLineInput, Policy, Posting, journals
from mocks.erp.engine import tables as t
from mocks.erp.engine.claims import claim_external
from mocks.erp.engine.fixed import as_number, to_fixed
from mocks.erp.netsuite.errors import ns_error
from mocks.erp.netsuite.schemas import AdjustmentIn

__all__ = ["ID_BASE", "JOURNAL", "adjustment_json", "create", "find", "lines_of"]

ID_BASE = 500_000_000
JOURNAL = "NSADJ"
CLAIM_KIND = "ns_adjust"
"""The claim kind of adjustments' external ids (the claims table keeps 12 characters)."""
_ACCEPT = Policy(duplicates=Duplicates.ACCEPT, posting=Posting.ON_CREATE)


def _journal(conn: Connection) -> str:
    found = conn.execute(
        select(t.item_journals.c.id).where(t.item_journals.c.code == JOURNAL)
    ).first()
    if found is not None:
        return str(found.id)
    return str(
        journals.create_journal(conn, code=JOURNAL, display_name="Inventory adjustments")["id"]
    )


def lines_of(conn: Connection, adjustment_id: int) -> list[dict[str, Any]]:
    """The journal lines of adjustment ``adjustment_id`` in order (empty when none)."""
    rows = conn.execute(
        select(
            t.journal_lines,
            t.items.c.number.label("item_number"),
            t.locations.c.id.label("location_id"),
        )
        .join(t.items, t.items.c.id == t.journal_lines.c.item_id)
        .join(t.item_journals, t.item_journals.c.id == t.journal_lines.c.journal_id)
        .outerjoin(t.locations, t.locations.c.code == t.journal_lines.c.location_code)
        .where(
            t.item_journals.c.code == JOURNAL,
            t.journal_lines.c.document_number == str(adjustment_id),
        )
        .order_by(t.journal_lines.c.seq)
    )
    return [dict(r._mapping) for r in rows]


def find(conn: Connection, ref: str) -> int | None:
    """The internal id of the adjustment ``ref`` (internal id or ``eid:…``), else None."""
    if ref.startswith("eid:"):
        row = conn.execute(
            select(t.journal_lines.c.document_number)
            .join(t.item_journals, t.item_journals.c.id == t.journal_lines.c.journal_id)
            .where(
                t.item_journals.c.code == JOURNAL,
                t.journal_lines.c.external_document_number == ref[4:],
                t.journal_lines.c.document_number != "",
            )
            .limit(1)
        ).first()
        return int(row.document_number) if row is not None else None
    if ref.isdigit() and len(ref) < 12 and lines_of(conn, int(ref)):
        return int(ref)
    return None


def create(conn: Connection, body: AdjustmentIn, external_id: str | None) -> int:
    """Save an adjustment (or, for an upsert of one already saved with the same lines,
    return it); its internal id."""
    ext = external_id or body.externalId or ""
    if not body.inventory.items:
        raise ns_error(
            400,
            "You must enter at least one line item for this transaction.",
            "USER_ERROR",
            field="inventory",
        )
    inputs = []
    for index, line in enumerate(body.inventory.items):
        where = body.adjLocation if line.location is None else line.location
        if line.adjustQtyBy == 0:
            raise ns_error(
                400,
                "Adjust Qty. By must not be 0.",
                "USER_ERROR",
                field=f"inventory.items[{index}].adjustQtyBy",
            )
        inputs.append(
            JournalLineInput(
                quantity=line.adjustQtyBy,
                item_id=line.item.id,
                item_number=line.item.externalId,
                location_id=where.id if where is not None else None,
                location_code=where.externalId if where is not None else None,
                posting_date=body.tranDate,
                external_document_number=ext,
                description=line.memo or body.memo or "",
            )
        )
    if ext:
        existing = find(conn, f"eid:{ext}")
        if existing is not None:
            if external_id is None:
                raise ns_error(
                    400,
                    "A record with this external ID already exists; externalId is unique per "
                    "record type.",
                    "DUP_RCRD",
                    field="externalId",
                )
            have = sorted((r["item_number"], r["quantity"]) for r in lines_of(conn, existing))
            want = sorted((i.item_number or "", to_fixed(i.quantity)) for i in inputs)
            if [q for _n, q in have] != [q for _n, q in want]:
                raise ns_error(
                    400,
                    "The adjustment with this external ID is already saved with other lines.",
                    "USER_ERROR",
                    field="inventory",
                )
            return existing
        if not claim_external(conn, CLAIM_KIND, ext, "pending"):
            raise ns_error(
                400,
                "A record with this external ID already exists; externalId is unique per "
                "record type.",
                "DUP_RCRD",
                field="externalId",
            )
    journal_id = _journal(conn)
    rows = []
    for index, line_input in enumerate(inputs):
        try:
            rows.append(journals.add_line(conn, journal_id, line_input, policy=_ACCEPT))
        except Exception as exc:
            field = getattr(exc, "field", None)
            if field is not None:
                exc.field = f"inventory.items[{index}].{_FIELDS.get(field, field)}"  # type: ignore[attr-defined]
            raise
    adjustment_id = ID_BASE + int(rows[0]["seq"])
    conn.execute(
        update(t.journal_lines)
        .where(t.journal_lines.c.id.in_([r["id"] for r in rows]))
        .values(document_number=str(adjustment_id))
    )
    return adjustment_id


_FIELDS = {
    "itemId": "item",
    "itemNumber": "item",
    "locationId": "location",
    "locationCode": "location",
    "quantity": "adjustQtyBy",
}


def adjustment_json(
    adjustment_id: int, lines: Sequence[Mapping[str, Any]], href: str
) -> dict[str, Any]:
    """An inventory adjustment as NetSuite shows it (with its ``inventory`` sublist)."""
    first = lines[0]
    return {
        "links": [{"rel": "self", "href": href}],
        "id": str(adjustment_id),
        "externalId": first["external_document_number"] or None,
        "tranId": f"ADJ{adjustment_id}",
        "tranDate": first["posting_date"].isoformat(),
        "lastModifiedDate": first["last_modified"].isoformat() + "Z",
        "inventory": {
            "links": [{"rel": "self", "href": f"{href}/inventory"}],
            "count": len(lines),
            "hasMore": False,
            "offset": 0,
            "totalResults": len(lines),
            "items": [
                {
                    "line": n,
                    "item": {"id": ln["item_id"], "refName": ln["item_number"]},
                    "location": {"id": ln["location_id"], "refName": ln["location_code"]},
                    "adjustQtyBy": as_number(ln["quantity"]),
                    "memo": ln["description"],
                }
                for n, ln in enumerate(lines, start=1)
            ],
        },
    }

"""Stock: per location and variation, stock = last physical count + adjustments since.

Changes carry a client-set `occurred_at` and are sequenced by it, not by arrival (Square,
REFERENCE.md): a change that arrives late is slotted into history and the count is
recomputed from the latest physical count at or before the end of history. Counts are
materialised per (variation, location, state) after every batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.events import emit
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.quantities import fmt_quantity
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import inventory_changes, inventory_counts
from mocks.pos.engine.timestamps import fmt, parse

Record = dict[str, Any]
SCALE = 100_000
UNCOUNTED_STATES = frozenset({"NONE"})


@dataclass(frozen=True, kw_only=True)
class Change:
    """One validated stock change, engine-side."""

    type: str
    catalog_object_id: str
    location_id: str
    quantity: Decimal
    occurred_at: str
    state: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    reference_id: str | None = None
    id: str | None = None
    path: str = "changes"

    @property
    def states(self) -> set[str]:
        """The states whose count this change moves."""
        found = {s for s in (self.state, self.from_state, self.to_state) if s is not None}
        return found - UNCOUNTED_STATES


def check_api_rules(store: PosStore, change: Change) -> None:
    """Rules Square enforces on API callers: no future changes, no counts older than 24 h."""
    now = store.clock()
    moment = parse(change.occurred_at, f"{change.path}.occurred_at")
    if moment > now + timedelta(seconds=store.settings.clock_skew_seconds):
        raise InvalidRequest(
            f"occurred_at {change.occurred_at} is in the future (now {fmt(now)})",
            field=f"{change.path}.occurred_at",
            code="INVALID_TIME",
        )
    max_age = timedelta(seconds=store.settings.physical_count_max_age_seconds)
    if change.type == "PHYSICAL_COUNT" and moment < now - max_age:
        raise InvalidRequest(
            f"occurred_at {change.occurred_at} is more than 24 h old; a physical count must "
            "be recent",
            field=f"{change.path}.occurred_at",
            code="INVALID_TIME",
        )


def _record(change: Change, change_id: str, created_at: str) -> Record:
    body: Record = {
        "id": change_id,
        "catalog_object_id": change.catalog_object_id,
        "catalog_object_type": "ITEM_VARIATION",
        "location_id": change.location_id,
        "quantity": fmt_quantity(change.quantity),
        "occurred_at": change.occurred_at,
        "created_at": created_at,
    }
    if change.reference_id is not None:
        body["reference_id"] = change.reference_id
    if change.type == "PHYSICAL_COUNT":
        body["state"] = change.state
        return {"type": "PHYSICAL_COUNT", "physical_count": body}
    body["from_state"] = change.from_state
    body["to_state"] = change.to_state
    return {"type": "ADJUSTMENT", "adjustment": body}


def apply_changes(
    conn: sa.Connection, store: PosStore, changes: list[Change], *, emit_event: bool = True
) -> tuple[list[Record], list[Record]]:
    """Record `changes` and recompute the touched counts; returns (changes, counts)."""
    created_at = fmt(store.clock())
    records: list[Record] = []
    rows: list[Record] = []
    for change in changes:
        change_id = change.id or new_id()
        records.append(_record(change, change_id, created_at))
        rows.append(
            {
                "id": change_id,
                "type": change.type,
                "catalog_object_id": change.catalog_object_id,
                "location_id": change.location_id,
                "from_state": change.from_state,
                "to_state": change.state if change.type == "PHYSICAL_COUNT" else change.to_state,
                "quantity_e5": int(change.quantity * SCALE),
                "occurred_at": change.occurred_at,
                "created_at": created_at,
                "data": records[-1],
            }
        )
    keys = sorted({(c.catalog_object_id, c.location_id, s) for c in changes for s in c.states})
    current = lock_counts(conn, keys, calculated_at=created_at)
    if rows:
        conn.execute(inventory_changes.insert(), rows)
    stale: set[tuple[str, str, str]] = set()
    for change in changes:
        for state in change.states:
            key = (change.catalog_object_id, change.location_id, state)
            quantity, last = current[key]
            if key in stale or (last is not None and change.occurred_at < last):
                stale.add(key)
                continue
            amount = int(change.quantity * SCALE)
            if change.type == "PHYSICAL_COUNT":
                quantity = amount
            elif change.to_state == state:
                quantity += amount
            else:
                quantity -= amount
            current[key] = (quantity, change.occurred_at)
    fresh = [key for key in keys if key not in stale]
    _store_counts(conn, [(key, *current[key]) for key in fresh], calculated_at=created_at)
    by_key = {
        key: _count_record(
            {
                "catalog_object_id": key[0],
                "location_id": key[1],
                "state": key[2],
                "quantity_e5": current[key][0],
                "calculated_at": created_at,
            }
        )
        for key in fresh
    }
    for key in keys:
        if key in stale:
            by_key[key] = recompute(conn, *key, calculated_at=created_at)
    counts = [by_key[key] for key in keys]
    if emit_event and counts:
        emit(
            conn,
            store,
            event_type="inventory.count.updated",
            data_type="inventory_counts",
            object_id=new_id(),
            obj={"inventory_counts": counts},
        )
    return records, counts


def lock_counts(
    conn: sa.Connection, keys: list[tuple[str, str, str]], *, calculated_at: str
) -> dict[tuple[str, str, str], tuple[int, str | None]]:
    """Create missing count rows and lock them, in a global order (no deadlocks between two
    batches); concurrent writers of one count then update it one after the other and each
    sees the other's committed changes (SQLite serialises writers anyway). Returns each
    count's quantity and the latest occurred_at applied to it."""
    if not keys:
        return {}
    c = inventory_counts.c
    ordered = sorted(set(keys))
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(inventory_counts)
    conn.execute(
        insert.on_conflict_do_nothing(),
        [
            {
                "catalog_object_id": obj,
                "location_id": loc,
                "state": state,
                "quantity_e5": 0,
                "calculated_at": calculated_at,
            }
            for obj, loc, state in ordered
        ],
    )
    rows = conn.execute(
        sa.select(c.catalog_object_id, c.location_id, c.state, c.quantity_e5, c.last_occurred_at)
        .where(sa.tuple_(c.catalog_object_id, c.location_id, c.state).in_(ordered))
        .order_by(c.catalog_object_id, c.location_id, c.state)
        .with_for_update()
    )
    return {(r[0], r[1], r[2]): (int(r[3]), r[4]) for r in rows}


def _store_counts(
    conn: sa.Connection,
    values: list[tuple[tuple[str, str, str], int, str | None]],
    *,
    calculated_at: str,
) -> None:
    if not values:
        return
    c = inventory_counts.c
    statement = (
        inventory_counts.update()
        .where(
            c.catalog_object_id == sa.bindparam("k_obj"),
            c.location_id == sa.bindparam("k_loc"),
            c.state == sa.bindparam("k_state"),
        )
        .values(
            quantity_e5=sa.bindparam("v_qty"),
            last_occurred_at=sa.bindparam("v_last"),
            calculated_at=calculated_at,
        )
    )
    conn.execute(
        statement,
        [
            {"k_obj": k[0], "k_loc": k[1], "k_state": k[2], "v_qty": q, "v_last": last}
            for k, q, last in values
        ],
    )


def _store_count(
    conn: sa.Connection,
    key: tuple[str, str, str],
    quantity: int,
    last: str | None,
    *,
    calculated_at: str,
) -> Record:
    c = inventory_counts.c
    obj, loc, state = key
    conn.execute(
        inventory_counts.update()
        .where(c.catalog_object_id == obj, c.location_id == loc, c.state == state)
        .values(quantity_e5=quantity, last_occurred_at=last, calculated_at=calculated_at)
    )
    return _count_record(
        {
            "catalog_object_id": obj,
            "location_id": loc,
            "state": state,
            "quantity_e5": quantity,
            "calculated_at": calculated_at,
        }
    )


def recompute(
    conn: sa.Connection, catalog_object_id: str, location_id: str, state: str, *, calculated_at: str
) -> Record:
    """Recompute and store one count from history: the latest physical count + later
    adjustments (used when a change arrives older than the newest one applied)."""
    c = inventory_changes.c
    pair = (c.catalog_object_id == catalog_object_id, c.location_id == location_id)
    base = conn.execute(
        sa.select(c.occurred_at, c.seq, c.quantity_e5)
        .where(*pair, c.type == "PHYSICAL_COUNT", c.to_state == state)
        .order_by(c.occurred_at.desc(), c.seq.desc())
        .limit(1)
    ).first()
    delta = sa.func.coalesce(
        sa.func.sum(
            sa.case((c.to_state == state, c.quantity_e5), else_=0)
            - sa.case((c.from_state == state, c.quantity_e5), else_=0)
        ),
        0,
    )
    query = sa.select(delta).where(
        *pair, c.type == "ADJUSTMENT", sa.or_(c.to_state == state, c.from_state == state)
    )
    if base is not None:
        query = query.where(
            sa.or_(
                c.occurred_at > base.occurred_at,
                sa.and_(c.occurred_at == base.occurred_at, c.seq > base.seq),
            )
        )
    total = int(conn.execute(query).scalar_one()) + (0 if base is None else int(base.quantity_e5))
    last = conn.execute(
        sa.select(sa.func.max(c.occurred_at)).where(
            *pair, sa.or_(c.to_state == state, c.from_state == state)
        )
    ).scalar_one()
    return _store_count(
        conn, (catalog_object_id, location_id, state), total, last, calculated_at=calculated_at
    )


def _count_record(row: Any) -> Record:
    return {
        "catalog_object_id": row["catalog_object_id"],
        "catalog_object_type": "ITEM_VARIATION",
        "state": row["state"],
        "location_id": row["location_id"],
        "quantity": fmt_quantity(Decimal(int(row["quantity_e5"])) / SCALE),
        "calculated_at": row["calculated_at"],
        "is_estimated": False,
    }


def list_counts(
    conn: sa.Connection,
    *,
    catalog_object_ids: list[str] | None,
    location_ids: list[str] | None,
    states: list[str],
    updated_after: str | None,
    after: tuple[str, str, str] | None,
    limit: int,
) -> list[Record]:
    """A page of counts ordered by (variation, location, state), keyset after `after`."""
    c = inventory_counts.c
    query = sa.select(c.catalog_object_id, c.location_id, c.state, c.quantity_e5, c.calculated_at)
    if catalog_object_ids:
        query = query.where(c.catalog_object_id.in_(catalog_object_ids))
    if location_ids:
        query = query.where(c.location_id.in_(location_ids))
    query = query.where(c.state.in_(states))
    if updated_after is not None:
        query = query.where(c.calculated_at > updated_after)
    if after is not None:
        query = query.where(
            sa.tuple_(c.catalog_object_id, c.location_id, c.state) > sa.tuple_(*after)
        )
    rows = conn.execute(query.order_by(c.catalog_object_id, c.location_id, c.state).limit(limit))
    return [_count_record(r._mapping) for r in rows]


def list_changes(
    conn: sa.Connection,
    *,
    catalog_object_ids: list[str] | None,
    location_ids: list[str] | None,
    types: list[str] | None,
    states: list[str] | None,
    updated_after: str | None,
    updated_before: str | None,
    after_seq: int | None,
    limit: int,
) -> list[tuple[int, Record]]:
    """A page of recorded changes in arrival order, as (sequence number, change)."""
    c = inventory_changes.c
    query = sa.select(c.seq, c.data)
    if catalog_object_ids:
        query = query.where(c.catalog_object_id.in_(catalog_object_ids))
    if location_ids:
        query = query.where(c.location_id.in_(location_ids))
    if types:
        query = query.where(c.type.in_(types))
    if states:
        query = query.where(sa.or_(c.to_state.in_(states), c.from_state.in_(states)))
    if updated_after is not None:
        query = query.where(c.created_at > updated_after)
    if updated_before is not None:
        query = query.where(c.created_at < updated_before)
    if after_seq is not None:
        query = query.where(c.seq > after_seq)
    rows = conn.execute(query.order_by(c.seq).limit(limit))
    return [(int(r.seq), dict(r.data)) for r in rows]

"""Item inventory per location: the ERP book of stock.

Stock moves only through posted documents and journal lines; every move is a signed delta
applied with one upsert per (item, location)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from mocks.erp.engine import tables as t
from mocks.erp.engine.query import Page
from mocks.erp.engine.raw import Raw

Move = tuple[str, str, int]
"""(item id, location code, signed quantity delta in fixed units)."""


def apply(conn: Connection, moves: Iterable[Move]) -> None:
    """Add each delta to the stock of its (item, location), creating rows as needed.

    Inside a group-commit batch (``DeferredStock``) the moves wait for the end of the batch;
    otherwise they are written now. Rows are touched in key order, so concurrent
    transactions cannot deadlock on them."""
    deferred: list[Move] | None = conn.info.get(_DEFERRED)
    if deferred is not None:
        deferred.extend(moves)
        return
    _write(conn, moves)


def _write(conn: Connection, moves: Iterable[Move]) -> None:
    merged: dict[tuple[str, str], int] = defaultdict(int)
    for item_id, location, delta in moves:
        merged[(item_id, location)] += delta
    rows = [(item_id, loc, delta) for (item_id, loc), delta in sorted(merged.items()) if delta]
    if rows:
        Raw(conn).insert_rows(_UPSERT_HEAD, rows, _UPSERT_TAIL)


_DEFERRED = "tillbench.erp.deferred_moves"


class DeferredStock:
    """Group-commit hook: the stock moves of a whole batch are merged and written once,
    in key order, just before the commit."""

    def begin(self, conn: Connection) -> None:
        """Start collecting moves."""
        conn.info[_DEFERRED] = []

    def mark(self, conn: Connection) -> object:
        """How many moves were collected before a piece runs."""
        return len(conn.info[_DEFERRED])

    def undo(self, conn: Connection, marker: object) -> None:
        """Forget the moves of a piece that failed."""
        assert isinstance(marker, int)
        del conn.info[_DEFERRED][marker:]

    def before_commit(self, conn: Connection) -> None:
        """Write the collected moves."""
        _write(conn, conn.info.pop(_DEFERRED, []))

    def end(self, conn: Connection, committed: bool) -> None:
        """Stop collecting (the connection goes back to the pool)."""
        conn.info.pop(_DEFERRED, None)


_UPSERT_HEAD = "INSERT INTO erp_item_stock (item_id, location_code, quantity)"
_UPSERT_TAIL = (
    "ON CONFLICT (item_id, location_code) "
    "DO UPDATE SET quantity = erp_item_stock.quantity + excluded.quantity"
)
"""Rows are merged by key first: one statement may not update a row twice."""


def set_quantities(conn: Connection, rows: Sequence[Move]) -> None:
    """Set absolute quantities (opening stock)."""
    if not rows:
        return
    insert = (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(t.stock)
    stmt = insert.on_conflict_do_update(
        index_elements=["item_id", "location_code"], set_={"quantity": insert.excluded.quantity}
    )
    conn.execute(stmt, [{"item_id": i, "location_code": loc, "quantity": q} for i, loc, q in rows])


def totals(conn: Connection, item_ids: Iterable[str]) -> dict[str, int]:
    """Inventory over all locations, per item id."""
    wanted = set(item_ids)
    if not wanted:
        return {}
    stmt = (
        select(t.stock.c.item_id, func.sum(t.stock.c.quantity))
        .where(t.stock.c.item_id.in_(wanted))
        .group_by(t.stock.c.item_id)
    )
    return {item_id: int(total or 0) for item_id, total in conn.execute(stmt)}


def quantity(conn: Connection, item_id: str, location: str) -> int:
    """Stock of one item at one location (0 when never moved)."""
    stmt = select(t.stock.c.quantity).where(
        t.stock.c.item_id == item_id, t.stock.c.location_code == location
    )
    return int(conn.execute(stmt).scalar_one_or_none() or 0)


def page_by_location(
    conn: Connection,
    *,
    location: str | None,
    item_number: str | None,
    after: tuple[str, str] | None,
    limit: int,
) -> Page:
    """Stock rows (location, item) in key order, for bulk read-back by a sampler."""
    stmt = (
        select(
            t.stock.c.location_code,
            t.stock.c.item_id,
            t.items.c.number.label("item_number"),
            t.stock.c.quantity,
        )
        .join(t.items, t.items.c.id == t.stock.c.item_id)
        .order_by(t.stock.c.location_code, t.items.c.number)
    )
    if location is not None:
        stmt = stmt.where(t.stock.c.location_code == location)
    if item_number is not None:
        stmt = stmt.where(t.items.c.number == item_number)
    if after is not None:
        loc, num = after
        stmt = stmt.where(
            (t.stock.c.location_code > loc)
            | ((t.stock.c.location_code == loc) & (t.items.c.number > num))
        )
    rows: list[dict[str, Any]] = [dict(r._mapping) for r in conn.execute(stmt.limit(limit + 1))]
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, (rows[-1]["location_code"], rows[-1]["item_number"]))
    return Page(rows, None)

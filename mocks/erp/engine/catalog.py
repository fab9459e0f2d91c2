"""Master data: items, locations (stores) and customers."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from mocks.erp.engine import tables as t
from mocks.erp.engine.errors import Conflict, Invalid, NotFound, PreconditionFailed
from mocks.erp.engine.raw import Raw

ENTITY_NAMES = {t.items: "Item", t.locations: "Location", t.customers: "Customer"}
KEY_NAMES = {t.items: "No.", t.locations: "Code", t.customers: "No."}
KEY_COLUMNS = {t.items: "number", t.locations: "code", t.customers: "number"}


def now() -> datetime:
    """Current UTC time without tzinfo (stored as such)."""
    return datetime.now(UTC).replace(tzinfo=None)


_ID_BITS = random.Random(int.from_bytes(os.urandom(16), "big") ^ os.getpid())


def new_id() -> str:
    """A record id: a GUID like Business Central's SystemId, time-ordered (UUID version 7
    layout) so that inserts land at the end of B-tree indexes instead of at random."""
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | _ID_BITS.getrandbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def get(conn: Connection, table: Table, record_id: str) -> dict[str, Any]:
    """One record by id, or NotFound."""
    row = conn.execute(select(table).where(table.c.id == record_id)).first()
    if row is None:
        raise NotFound(ENTITY_NAMES[table], "Id", record_id, field="id")
    return dict(row._mapping)


def create(conn: Connection, table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """Insert a master record; a duplicate number/code is a Conflict naming it."""
    key = KEY_COLUMNS[table]
    exists = conn.execute(select(table.c.id).where(table.c[key] == values[key])).first()
    if exists is not None:
        raise Conflict(
            f"The {ENTITY_NAMES[table]} already exists. Identification fields and values: "
            f"{KEY_NAMES[table]}='{values[key]}'",
            field=_api_key(table),
        )
    row = {"id": new_id(), "version": 1, "last_modified": now(), **values}
    conn.execute(table.insert().values(**row))
    return get(conn, table, row["id"])


def patch(
    conn: Connection,
    table: Table,
    record_id: str,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
) -> dict[str, Any]:
    """Update fields when ``expected_version`` (from If-Match; None = ``*``) still holds."""
    current = get(conn, table, record_id)
    check_version(current, expected_version)
    key = KEY_COLUMNS[table]
    if key in changes and changes[key] != current[key]:
        raise Invalid(
            f"The {ENTITY_NAMES[table]} number cannot be changed through this API.",
            field=_api_key(table),
        )
    stmt = (
        update(table)
        .where(table.c.id == record_id, table.c.version == current["version"])
        .values(**changes, version=current["version"] + 1, last_modified=now())
    )
    if conn.execute(stmt).rowcount != 1:
        raise PreconditionFailed("Another user has already changed the record.", field="If-Match")
    return get(conn, table, record_id)


def remove(conn: Connection, table: Table, record_id: str, *, expected_version: int | None) -> None:
    """Delete a record when the version still holds; items with stock or lines refuse."""
    current = get(conn, table, record_id)
    check_version(current, expected_version)
    if table is t.items:
        used = conn.execute(
            select(t.document_lines.c.id).where(t.document_lines.c.item_id == record_id).limit(1)
        ).first()
        if used is not None:
            raise Invalid("You cannot delete the Item because it is used on documents.", field="id")
        conn.execute(delete(t.stock).where(t.stock.c.item_id == record_id))
    if table is t.customers:
        used = conn.execute(
            select(t.documents.c.id).where(t.documents.c.customer_id == record_id).limit(1)
        ).first()
        if used is not None:
            raise Invalid("You cannot delete the Customer because it has documents.", field="id")
    conn.execute(delete(table).where(table.c.id == record_id))


def check_version(row: Mapping[str, Any], expected: int | None) -> None:
    """PreconditionFailed when ``expected`` is set and differs from the row's version."""
    if expected is not None and expected != row["version"]:
        raise PreconditionFailed("Another user has already changed the record.", field="If-Match")


_RESOLVE_COLUMNS = {
    t.items: ("id", "number", "display_name", "unit_price", "blocked"),
    t.locations: ("id", "code", "display_name"),
    t.customers: ("id", "number", "display_name", "unit_price", "blocked"),
}


def resolve(
    conn: Connection,
    table: Table,
    refs: Sequence[tuple[str | None, str | None]],
    *,
    fields: Sequence[tuple[str, str]],
) -> list[dict[str, Any] | None]:
    """Look up records by (id, number/code) pairs in one query; None where both are None.

    ``fields`` gives, per ref, the API field names of the id and the key, for NotFound.
    Rows carry only the columns the posting path needs (see ``_RESOLVE_COLUMNS``).
    """
    key = KEY_COLUMNS[table]
    ids = sorted({i for i, _ in refs if i})
    keys = sorted({k for i, k in refs if k and not i})
    cached: _Prefetched | None = conn.info.get(_PREFETCH, {}).get(table.name)
    if cached is None or not cached.covers(ids, keys):
        cached = _fetch(conn, {table: (ids, keys)})[table.name]
    found_by_id = cached.by("id")
    found_by_key = cached.by(key)
    out: list[dict[str, Any] | None] = []
    for (record_id, record_key), (id_field, key_field) in zip(refs, fields, strict=True):
        if record_id:
            row = found_by_id.get(record_id)
            if row is None:
                raise NotFound(ENTITY_NAMES[table], "Id", record_id, field=id_field)
            if record_key and row[key] != record_key:
                raise Invalid(
                    f"{key_field} '{record_key}' does not match {id_field} '{record_id}'.",
                    field=key_field,
                )
            out.append(row)
        elif record_key:
            row = found_by_key.get(record_key)
            if row is None:
                raise NotFound(ENTITY_NAMES[table], KEY_NAMES[table], record_key, field=key_field)
            out.append(row)
        else:
            out.append(None)
    return out


_PREFETCH = "tillbench.erp.prefetch"


@dataclass(slots=True)
class _Prefetched:
    ids: set[str]
    keys: set[str]
    rows: list[dict[str, Any]]
    _index: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)

    def covers(self, ids: Sequence[str], keys: Sequence[str]) -> bool:
        return self.ids.issuperset(ids) and self.keys.issuperset(keys)

    def by(self, column: str) -> dict[Any, dict[str, Any]]:
        """The rows by ``column`` (built once: a batch's pieces all look rows up here)."""
        index = self._index.get(column)
        if index is None:
            index = self._index[column] = {row[column]: row for row in self.rows}
        return index


@contextmanager
def prefetch(
    conn: Connection, wanted: Mapping[Table, Sequence[tuple[str | None, str | None]]]
) -> Iterator[None]:
    """Fetch the records several ``resolve`` calls will need in one round trip; inside the
    block those calls are answered from it (or from the batch's ``BatchPrefetch``)."""
    plan = _plan(wanted)
    batch: dict[str, _Prefetched] | None = conn.info.get(_BATCH_PREFETCH)
    if batch is not None and all(
        table.name in batch and batch[table.name].covers(ids, keys)
        for table, (ids, keys) in plan.items()
    ):
        conn.info[_PREFETCH] = batch
    else:
        conn.info[_PREFETCH] = _fetch(conn, plan)
    try:
        yield
    finally:
        conn.info.pop(_PREFETCH, None)


def _plan(
    wanted: Mapping[Table, Sequence[tuple[str | None, str | None]]],
) -> dict[Table, tuple[list[str], list[str]]]:
    return {
        table: (sorted({i for i, _ in refs if i}), sorted({k for i, k in refs if k and not i}))
        for table, refs in wanted.items()
    }


_BATCH_PREFETCH = "tillbench.erp.batch_prefetch"


class BatchPrefetch:
    """Group-commit hook: when every piece of a batch hints the master data it will read
    (``documents.master_data``: a batch of document posts, which change no master data),
    one query fetches it all before the pieces run. A batch with any other piece fetches
    per piece, so a change to an item earlier in the batch is always seen."""

    def begin(self, conn: Connection) -> None:
        """Nothing fetched yet."""
        conn.info.pop(_BATCH_PREFETCH, None)

    def prepare(self, conn: Connection, hints: Sequence[object]) -> None:
        """Fetch the union of the pieces' hints, if every piece gave one."""
        if not hints or not all(isinstance(h, Mapping) for h in hints):
            return
        wanted: dict[Table, list[tuple[str | None, str | None]]] = {}
        for hint in hints:
            assert isinstance(hint, Mapping)
            for table, refs in hint.items():
                wanted.setdefault(table, []).extend(refs)
        conn.info[_BATCH_PREFETCH] = _fetch(conn, _plan(wanted))

    def mark(self, conn: Connection) -> object:
        """Nothing is deferred per piece."""
        return None

    def undo(self, conn: Connection, marker: object) -> None:
        """Nothing is deferred per piece."""

    def before_commit(self, conn: Connection) -> None:
        """Nothing to write."""

    def end(self, conn: Connection, committed: bool) -> None:
        """Forget the batch's records."""
        conn.info.pop(_BATCH_PREFETCH, None)


def _fetch(
    conn: Connection, plan: Mapping[Table, tuple[Sequence[str], Sequence[str]]]
) -> dict[str, _Prefetched]:
    raw = Raw(conn)
    parts: list[str] = []
    params: list[Any] = []
    for table, (ids, keys) in plan.items():
        clauses = []
        for column, values in (("id", ids), (KEY_COLUMNS[table], keys)):
            if values:
                clauses.append(_ANY[raw.sqlite].format(column=column))
                params.append(json.dumps(list(values)) if raw.sqlite else list(values))
        if clauses:
            parts.append(_SELECTS[table] + " WHERE " + " OR ".join(clauses))
    out = {table.name: _Prefetched(set(ids), set(keys), []) for table, (ids, keys) in plan.items()}
    if parts:
        for tag, *values in raw.rows(" UNION ALL ".join(parts), params):
            table = _TABLES[tag]
            columns = _RESOLVE_COLUMNS[table]
            row = dict(zip(columns, values[: len(columns)], strict=True))
            if "blocked" in row:
                row["blocked"] = bool(row["blocked"])
            out[table.name].rows.append(row)
    return out


_ANY = {
    True: "{column} IN (SELECT value FROM json_each(%s))",
    False: "{column} = ANY(%s)",
}
"""A column in a list given as one parameter (SQLite: a JSON array; PostgreSQL: an array),
so that the statement is the same whatever the list's length and its compiled form is
reused (with one placeholder per value, every batch compiled a new statement)."""


_TABLES = {"i": t.items, "l": t.locations, "c": t.customers}
_SELECTS = {
    t.items: "SELECT 'i', id, number, display_name, unit_price, "
    "CASE WHEN blocked THEN 1 ELSE 0 END FROM erp_items",
    t.locations: "SELECT 'l', id, code, display_name, 0, 0 FROM erp_locations",
    t.customers: "SELECT 'c', id, number, display_name, 0, "
    "CASE WHEN blocked IN ('', ' ') THEN 0 ELSE 1 END FROM erp_customers",
}


def by_ids(conn: Connection, table: Table, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Records by id (missing ids are simply absent)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        r.id: dict(r._mapping) for r in conn.execute(select(table).where(table.c.id.in_(wanted)))
    }


def _api_key(table: Table) -> str:
    return "code" if table is t.locations else "number"

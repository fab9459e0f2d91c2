"""Generic reads: equality filters and keyset paging over one table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.sql import ColumnElement


@dataclass(frozen=True, slots=True)
class Page:
    """Rows of one page, and the sort key to continue after (None on the last page)."""

    rows: list[dict[str, Any]]
    next_after: Any | None


def page(
    conn: Connection,
    table: Table,
    *,
    key: str,
    equals: Mapping[str, Any] = {},
    where: Sequence[ColumnElement[bool]] = (),
    after: Any | None = None,
    limit: int,
    skip: int = 0,
) -> Page:
    """Up to ``limit`` rows ordered by the unique column ``key``, after ``after``."""
    column = table.c[key]
    stmt = select(table).order_by(column)
    for name, value in equals.items():
        stmt = stmt.where(table.c[name] == value)
    for clause in where:
        stmt = stmt.where(clause)
    if after is not None:
        stmt = stmt.where(column > after)
    stmt = stmt.offset(skip).limit(limit + 1)
    rows = [dict(r._mapping) for r in conn.execute(stmt)]
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, rows[-1][key])
    return Page(rows, None)

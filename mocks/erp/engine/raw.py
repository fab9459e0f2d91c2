"""Direct DB-API access on a SQLAlchemy connection, for the hot path of posting documents.

Building and compiling SQLAlchemy statements costs tens of microseconds each; a posted
5-line invoice needs about eight statements, so the hot path writes plain SQL (``%s``
placeholders, rewritten to ``?`` for SQLite) inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection


@lru_cache(maxsize=256)
def _for_sqlite(sql: str) -> str:
    return sql.replace("%s", "?")


class Raw:
    """Plain SQL on the connection's own DB-API connection (same transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        self._cursor = dbapi.cursor()

    def _sql(self, sql: str) -> str:
        return _for_sqlite(sql) if self.sqlite else sql

    def _bind(self, value: Any) -> Any:
        if not self.sqlite:
            return value
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query."""
        self._cursor.execute(self._sql(sql), [self._bind(p) for p in params])
        return list(self._cursor.fetchall())

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Execute one statement."""
        self._cursor.execute(self._sql(sql), [self._bind(p) for p in params])

    def many(self, sql: str, rows: Sequence[Sequence[Any]], *, plain: bool = False) -> None:
        """Execute one statement for each parameter row; ``plain`` rows hold only ints,
        strings and None (no conversion needed)."""
        params = rows if plain else [[self._bind(p) for p in r] for r in rows]
        self._cursor.executemany(self._sql(sql), params)


def placeholders(count: int) -> str:
    """``%s, %s, …`` for an IN list."""
    return ", ".join(["%s"] * count)

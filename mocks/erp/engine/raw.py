"""Direct DB-API access on a SQLAlchemy connection, for the hot path of posting documents.

Building and compiling SQLAlchemy statements costs tens of microseconds each; a posted
5-line invoice needs about eight statements, so the hot path writes plain SQL (``%s``
placeholders, rewritten to ``?`` for SQLite) inside the same transaction.

On PostgreSQL every statement is a round trip to the server (a wake-up of both processes,
which on a small machine costs more than the statement), so ``pipeline()`` sends several
statements at once (psycopg pipeline mode) and ``send()`` returns a cursor to read after
the block. On SQLite both simply run the statements in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

PARAMS_CACHED = 50
"""psycopg caches the parsing of statements with at most this many parameters."""


@lru_cache(maxsize=256)
def _for_sqlite(sql: str) -> str:
    return sql.replace("%s", "?")


class Raw:
    """Plain SQL on the connection's own DB-API connection (same transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        self._dbapi: Any = dbapi
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

    def send(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement on a cursor of its own and return the cursor, whose rows
        may be read after the enclosing ``pipeline()`` block."""
        cursor = self._dbapi.cursor()
        cursor.execute(self._sql(sql), [self._bind(p) for p in params])
        if self.sqlite:  # a statement left unread would block the commit
            return _Read(cursor.fetchall() if cursor.description else [])
        return cursor

    @contextmanager
    def pipeline(self) -> Iterator[None]:
        """Statements inside the block go to PostgreSQL together (one round trip); their
        errors surface when the block ends. Inside an enclosing pipeline (the group
        committer's) it adds nothing: leaving a nested pipeline would wait for the server."""
        if self.sqlite or self._dbapi.pgconn.pipeline_status:
            yield
            return
        with self._dbapi.pipeline():
            yield

    def insert_rows(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
        """``head VALUES (…) tail`` for every row. On PostgreSQL, statements of several rows
        (psycopg's ``executemany`` would wait for the server at its end, even inside a
        pipeline), each with at most ``PARAMS_CACHED`` parameters (psycopg parses longer
        ones afresh every time, ~0.1 ms); on SQLite ``executemany`` of one compiled
        statement. Rows hold only ints, strings and None."""
        width = len(rows[0])
        if self.sqlite:  # one compiled statement, run per row in C
            self._cursor.executemany(
                self._sql(f"{head} VALUES ({placeholders(width)}) {tail}"), rows
            )
            return
        step = max(1, PARAMS_CACHED // width)
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            values = ", ".join([f"({placeholders(width)})"] * len(chunk))
            self._cursor.execute(
                self._sql(f"{head} VALUES {values} {tail}"), [p for r in chunk for p in r]
            )


class _Read:
    """Rows already read, with the cursor's ``fetchall``."""

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def fetchall(self) -> list[Any]:
        return self._rows


def placeholders(count: int) -> str:
    """``%s, %s, …`` for an IN list."""
    return ", ".join(["%s"] * count)

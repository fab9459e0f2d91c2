"""Request journal: one row per request, buffered and flushed in batches, queryable and
exportable to Parquet as a run table.

Rows are kept in memory for at most ``flush_interval`` seconds (or ``flush_rows`` rows)
before one multi-row insert, so journaling costs little per request; ``kill -9`` can lose
that last fraction of a second of journal, never an acknowledged business write.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, delete, func, select

from mocks.core.db import Database
from mocks.core.tables import journal_table

JOURNAL_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("worker", pa.int32()),
        ("credential", pa.string()),
        ("method", pa.string()),
        ("path", pa.string()),
        ("query", pa.string()),
        ("status", pa.int16()),
        ("latency_ms", pa.float64()),
        ("idempotency_key", pa.string()),
        ("body_sha256", pa.string()),
        ("body_bytes", pa.int64()),
        ("document_id", pa.string()),
        ("ref", pa.string()),
        ("fault", pa.string()),
    ]
)
"""Columns of the exported journal table (one row per request; status 0 = connection
reset or hang without an answer)."""


@dataclass(slots=True)
class JournalEntry:
    """One request as journaled. ``ts`` is the wall time (epoch seconds) it arrived."""

    ts: float
    method: str
    path: str
    status: int
    latency_ms: float
    credential: str | None = None
    query: str | None = None
    idempotency_key: str | None = None
    body_sha256: str | None = None
    body_bytes: int = 0
    document_id: str | None = None
    ref: str | None = None
    fault: str | None = None
    worker: int = 0


_FIELDS = tuple(f.name for f in fields(JournalEntry))


class Journal:
    """Buffered writer and reader of the request journal."""

    def __init__(self, db: Database, *, flush_interval: float = 0.2, flush_rows: int = 256) -> None:
        self.db = db
        self.flush_interval = flush_interval
        self.flush_rows = flush_rows
        self._buffer: list[dict[str, Any]] = []
        self._pending: list[dict[str, Any]] = []
        self._last_flush = time.monotonic()
        self._pid = os.getpid()

    def record(self, entry: JournalEntry) -> None:
        """Queue one row; writes the buffer when it is full (else the app's flusher and
        the group committer write it within ``flush_interval``)."""
        row = {name: getattr(entry, name) for name in _FIELDS}
        row["worker"] = self._pid
        self._buffer.append(row)
        if len(self._buffer) >= self.flush_rows:
            self.flush()

    def begin(self, conn: Connection) -> None:
        """Group-commit hook: nothing to do when an attempt begins."""

    def before_commit(self, conn: Connection) -> None:
        """Group-commit hook: write buffered rows in the batch's transaction when due."""
        if self.due():
            self._pending = self._buffer
            conn.execute(journal_table.insert(), self._pending)

    def mark(self, conn: Connection) -> object:
        """Group-commit hook: nothing is deferred per piece."""
        return None

    def undo(self, conn: Connection, marker: object) -> None:
        """Group-commit hook: nothing is deferred per piece."""

    def end(self, conn: Connection, committed: bool) -> None:
        """Group-commit hook: drop the rows that were committed with the batch."""
        if self._pending and committed:
            self._buffer = self._buffer[len(self._pending) :]
            self._last_flush = time.monotonic()
        self._pending = []

    def due(self) -> bool:
        """True when buffered rows are older than ``flush_interval``."""
        return bool(self._buffer) and time.monotonic() - self._last_flush >= self.flush_interval

    def flush(self) -> int:
        """Write buffered rows; returns how many."""
        rows, self._buffer = self._buffer, []
        self._last_flush = time.monotonic()
        if rows:
            with self.db.begin() as conn:
                conn.execute(journal_table.insert(), rows)
        return len(rows)

    def query(
        self,
        *,
        since_id: int = 0,
        limit: int = 1000,
        method: str | None = None,
        path_prefix: str | None = None,
        status: int | None = None,
        credential: str | None = None,
    ) -> list[dict[str, Any]]:
        """Rows with id > ``since_id`` matching the filters, oldest first."""
        self.flush()
        stmt = select(journal_table).where(journal_table.c.id > since_id)
        if method:
            stmt = stmt.where(journal_table.c.method == method.upper())
        if path_prefix:
            stmt = stmt.where(journal_table.c.path.startswith(path_prefix, autoescape=True))
        if status is not None:
            stmt = stmt.where(journal_table.c.status == status)
        if credential:
            stmt = stmt.where(journal_table.c.credential == credential)
        stmt = stmt.order_by(journal_table.c.id).limit(limit)
        with self.db.begin() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def count(self) -> int:
        """Rows written so far (after a flush)."""
        self.flush()
        with self.db.begin() as conn:
            return int(conn.execute(select(func.count()).select_from(journal_table)).scalar_one())

    def clear(self) -> None:
        """Delete every journal row (e.g. between benchmark phases)."""
        self._buffer = []
        with self.db.begin() as conn:
            conn.execute(delete(journal_table))


def iter_journal(db: Database, *, batch: int = 50_000) -> Iterator[list[Mapping[str, Any]]]:
    """All journal rows in id order, ``batch`` at a time."""
    last = 0
    while True:
        stmt = (
            select(journal_table)
            .where(journal_table.c.id > last)
            .order_by(journal_table.c.id)
            .limit(batch)
        )
        with db.begin() as conn:
            rows: list[Mapping[str, Any]] = [dict(r._mapping) for r in conn.execute(stmt)]
        if not rows:
            return
        last = int(rows[-1]["id"])
        yield rows


def journal_table_arrow(db: Database) -> pa.Table:
    """The whole journal as a pyarrow table with ``JOURNAL_SCHEMA``."""
    columns: dict[str, list[Any]] = {name: [] for name in JOURNAL_SCHEMA.names}
    for rows in iter_journal(db):
        for row in rows:
            for name in JOURNAL_SCHEMA.names:
                value = row[name]
                columns[name].append(int(value * 1_000_000) if name == "ts" else value)
    return pa.table(columns, schema=JOURNAL_SCHEMA)


def export_journal(db: Database, path: str | Path) -> int:
    """Write the journal to a Parquet file at ``path``; returns the number of rows."""
    table = journal_table_arrow(db)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, target)
    return int(table.num_rows)

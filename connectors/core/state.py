"""Durable connector state in SQLite under ``TILLBENCH_STATE_DIR``.

- ``inbox``: webhook events, one row per ``event_id`` (duplicates are dropped on insert).
- ``seen``: POS orders already turned into outbox documents (or deliberately skipped).
- ``outbox``: ERP postings keyed by kind and external document number; states
  ``pending`` → ``inflight`` → ``posted`` | ``dead``. ``uncertain`` marks a row whose
  earlier attempt may have committed: it is looked up in the ERP before it is sent again.
- ``cursors``: named positions (batch polling, sweeps, catalogue sync).
- ``dead_letters``: why a posting was given up, with its payload (card numbers scrubbed).
- ``skus``: POS catalogue object id → SKU cache.
- ``carried``: ERP journal lines (stock receipts) already queued for the POS.

A write returns only after SQLite committed it (WAL; a killed process loses nothing that
was acknowledged). Each thread gets its own connection. Times (``received_at``, ``next_at``,
…) come from the store's clock, ``time.time`` unless a test passes its own.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

InboxEvent = tuple[str, str, str | None, str]
"""A stored webhook event: (event_id, type, object_id, raw body)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    event_id TEXT PRIMARY KEY, type TEXT NOT NULL, object_id TEXT, body TEXT NOT NULL,
    received_at REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS inbox_todo ON inbox(done, received_at);
CREATE TABLE IF NOT EXISTS seen (order_id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    key TEXT PRIMARY KEY, kind TEXT NOT NULL, ext_no TEXT NOT NULL, payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, posted_at REAL, erp_id TEXT, extra TEXT);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(status, next_at);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, reason TEXT NOT NULL,
    transient INTEGER NOT NULL, at REAL NOT NULL, redriven_at REAL);
CREATE TABLE IF NOT EXISTS skus (object_id TEXT PRIMARY KEY, sku TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS carried (line_id TEXT PRIMARY KEY, at REAL NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Posting:
    """One outbox row: an ERP document (or journal line) to post."""

    key: str
    kind: str
    ext_no: str
    payload: dict[str, Any]
    attempts: int
    uncertain: bool
    extra: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NewPosting:
    """A posting to add: ``key`` is unique (kind + external document number)."""

    key: str
    kind: str
    ext_no: str
    payload: dict[str, Any]
    extra: dict[str, Any] | None = None


class StateStore:
    """The connector's durable state (thread-safe: one SQLite connection per thread)."""

    def __init__(self, directory: Path, *, clock: Callable[[], float] = time.time) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self.path = directory / "connector.sqlite3"
        self._local = threading.local()
        self._conn().executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # inbox -----------------------------------------------------------------------------

    def enqueue_event(
        self, event_id: str, event_type: str, object_id: str | None, body: str
    ) -> bool:
        """Store a webhook event; False when its ``event_id`` was already stored."""
        with self._tx() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO inbox(event_id, type, object_id, body, received_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (event_id, event_type, object_id, body, self.clock()),
            )
            return cursor.rowcount == 1

    def pending_events(self, limit: int) -> list[InboxEvent]:
        """Oldest unprocessed events: (event_id, type, object_id, body)."""
        rows = self._conn().execute(
            "SELECT event_id, type, object_id, body FROM inbox WHERE done = 0 "
            "ORDER BY received_at LIMIT ?",
            (limit,),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def unseen(self, order_ids: Iterable[str]) -> set[str]:
        """The ids among ``order_ids`` not yet turned into postings."""
        wanted = set(order_ids)
        if not wanted:
            return set()
        conn = self._conn()
        found: set[str] = set()
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT order_id FROM seen WHERE order_id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return wanted - found

    def uncarried(self, line_ids: Iterable[str]) -> set[str]:
        """The ERP journal line ids not yet queued for the POS."""
        wanted = sorted(set(line_ids))
        found: set[str] = set()
        conn = self._conn()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT line_id FROM carried WHERE line_id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return set(wanted) - found

    def record(
        self,
        postings: Sequence[NewPosting],
        *,
        seen: Iterable[str] = (),
        events_done: Iterable[str] = (),
        cursor: tuple[str, str] | None = None,
        carried: Iterable[str] = (),
    ) -> int:
        """In one transaction: add postings (existing keys ignored), mark orders seen and
        events done, and optionally move a cursor; returns how many postings were new."""
        now = self.clock()
        with self._tx() as conn:
            added = 0
            for p in postings:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO outbox(key, kind, ext_no, payload, created_at, extra) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        p.key,
                        p.kind,
                        p.ext_no,
                        json.dumps(p.payload),
                        now,
                        json.dumps(p.extra or {}),
                    ),
                )
                added += cur.rowcount
            conn.executemany(
                "INSERT OR IGNORE INTO seen(order_id, at) VALUES (?, ?)", [(o, now) for o in seen]
            )
            conn.executemany(
                "UPDATE inbox SET done = 1 WHERE event_id = ?", [(e,) for e in events_done]
            )
            conn.executemany(
                "INSERT OR IGNORE INTO carried(line_id, at) VALUES (?, ?)",
                [(line, now) for line in carried],
            )
            if cursor is not None:
                conn.execute(
                    "INSERT INTO cursors(name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    cursor,
                )
            return added

    # outbox ----------------------------------------------------------------------------

    def recover(self) -> int:
        """After a restart: in-flight rows go back to pending, marked uncertain."""
        with self._tx() as conn:
            return conn.execute(
                "UPDATE outbox SET status = 'pending', uncertain = 1 WHERE status = 'inflight'"
            ).rowcount

    def claim(self, limit: int, *, kinds: Sequence[str] | None = None) -> list[Posting]:
        """Move up to ``limit`` due pending rows to in-flight and return them (oldest first)."""
        now = self.clock()
        where = "status = 'pending' AND next_at <= ?"
        args: list[Any] = [now]
        if kinds:
            where += f" AND kind IN ({','.join('?' * len(kinds))})"
            args.extend(kinds)
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT key, kind, ext_no, payload, attempts, uncertain, extra FROM outbox "
                f"WHERE {where} ORDER BY created_at, key LIMIT ?",
                [*args, limit],
            ).fetchall()
            conn.executemany(
                "UPDATE outbox SET status = 'inflight' WHERE key = ?", [(r[0],) for r in rows]
            )
        return [
            Posting(r[0], r[1], r[2], json.loads(r[3]), r[4], bool(r[5]), json.loads(r[6] or "{}"))
            for r in rows
        ]

    def posted(self, key: str, erp_id: str | None) -> None:
        """The ERP holds the document."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE outbox SET status = 'posted', posted_at = ?, erp_id = ? WHERE key = ?",
                (self.clock(), erp_id, key),
            )

    def retry_later(self, key: str, *, delay: float, uncertain: bool, count: bool = True) -> None:
        """Back to pending after ``delay`` seconds; ``count`` uses up one attempt."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE outbox SET status = 'pending', next_at = ?, "
                "attempts = attempts + ?, uncertain = MAX(uncertain, ?) WHERE key = ?",
                (self.clock() + delay, 1 if count else 0, 1 if uncertain else 0, key),
            )

    def release(self, keys: Iterable[str], *, uncertain: bool = False) -> None:
        """In-flight rows back to pending at once (no attempt used)."""
        with self._tx() as conn:
            conn.executemany(
                "UPDATE outbox SET status = 'pending', uncertain = MAX(uncertain, ?) WHERE key = ?",
                [(1 if uncertain else 0, k) for k in keys],
            )

    def dead(self, key: str, reason: str, *, transient: bool, uncertain: bool = False) -> None:
        """Give up on a posting; transient ones are re-driven when the ERP is healthy."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE outbox SET status = 'dead', uncertain = MAX(uncertain, ?) WHERE key = ?",
                (1 if uncertain else 0, key),
            )
            conn.execute(
                "INSERT INTO dead_letters(key, reason, transient, at) VALUES (?, ?, ?, ?)",
                (key, reason[:2000], 1 if transient else 0, self.clock()),
            )

    def redrive(self) -> int:
        """Transient dead letters back to pending with fresh attempts; returns how many."""
        now = self.clock()
        with self._tx() as conn:
            keys = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT key FROM dead_letters WHERE transient = 1 "
                    "AND redriven_at IS NULL"
                )
            ]
            conn.executemany(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_at = 0 "
                "WHERE key = ? AND status = 'dead'",
                [(k,) for k in keys],
            )
            conn.execute(
                "UPDATE dead_letters SET redriven_at = ? WHERE transient = 1 "
                "AND redriven_at IS NULL",
                (now,),
            )
            return len(keys)

    def due_now(self) -> int:
        """Every pending row that is not waiting to settle becomes due at once (the ERP
        recovered); returns how many. Uncertain rows keep their wait before the lookup."""
        with self._tx() as conn:
            return conn.execute(
                "UPDATE outbox SET next_at = 0 "
                "WHERE status = 'pending' AND next_at > 0 AND uncertain = 0"
            ).rowcount

    def counts(self) -> dict[str, int]:
        """Outbox rows per status, unprocessed events, and dead letters recorded."""
        conn = self._conn()
        result = {"pending": 0, "inflight": 0, "posted": 0, "dead": 0}
        for status, n in conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status"):
            result[status] = n
        result["inbox"] = conn.execute("SELECT COUNT(*) FROM inbox WHERE done = 0").fetchone()[0]
        result["dead_letters"] = conn.execute("SELECT COUNT(*) FROM dead_letters").fetchone()[0]
        return result

    # cursors and caches ----------------------------------------------------------------

    def cursor(self, name: str) -> str | None:
        """The stored value of cursor ``name``."""
        row = self._conn().execute("SELECT value FROM cursors WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_cursor(self, name: str, value: str) -> None:
        """Store cursor ``name``."""
        self.record([], cursor=(name, value))

    def skus(self, object_ids: Iterable[str]) -> dict[str, str]:
        """Cached SKUs of POS catalogue objects."""
        ids = sorted(set(object_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            f"SELECT object_id, sku FROM skus WHERE object_id IN ({marks})", ids
        )
        return {r[0]: r[1] for r in rows}

    def remember_skus(self, mapping: dict[str, str]) -> None:
        """Cache object id → SKU."""
        with self._tx() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO skus(object_id, sku) VALUES (?, ?)", mapping.items()
            )

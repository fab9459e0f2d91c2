"""SQLAlchemy engine factory: SQLite (WAL, synchronous=NORMAL, immediate write locks) by
default, PostgreSQL (psycopg 3) by URL. A committed transaction survives ``kill -9``.

SQLite checkpoints (copying the WAL into the database file, with an fsync) would stall the
writer that triggers them for tens of milliseconds; request connections therefore never
checkpoint, and a background thread checkpoints the WAL every ``checkpoint_interval``
(PASSIVE, which never blocks writers). Under constant writes those never quite catch up,
so the WAL would grow for ever; SQLite starts it over only when a write begins with every
frame copied. Once the WAL passes ``catch_up_frames`` pages, the group committer therefore
runs one PASSIVE checkpoint itself between two batches (``after_commit``): the background
thread has copied nearly everything already, and no write can come in between, so the next
write starts the WAL over. (A RESTART checkpoint from the thread, kept as a fallback past
``restart_frames``, blocks the writer, whose busy handler then sleeps in steps of up to
100 ms: the periodic stall of the half-load p99.)

PostgreSQL sessions keep ``synchronous_commit=on``: a commit waits for its WAL flush
(measured here at ~0.15 ms, shared by every request of a group commit), so acknowledged
writes survive a crash of PostgreSQL or of the machine too, not only of the mock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.sql.dml import Insert

from mocks.core.errors import ConfigError
from mocks.core.redact import redact_url


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for ``postgresql://`` URLs; reject unknown schemes."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            "db_url", redact_url(url), "must be a SQLAlchemy URL such as sqlite:///erp.db"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError("db_url", redact_url(url), "must be a sqlite:/// or postgresql:// URL")
    return parsed.render_as_string(hide_password=False)


class Database:
    """One engine plus helpers. ``begin()`` yields a connection inside a transaction that
    commits when the block ends (SQLite takes the write lock at BEGIN, so concurrent
    writers from several workers queue instead of deadlocking)."""

    def __init__(self, url: str, *, pool_size: int = 8, checkpoint_interval: float = 0.1) -> None:
        self.url = normalize_url(url)
        self.engine: Engine
        self.write_engine: Engine
        """Engine of the group committer (``mocks.core.commit``): on PostgreSQL a small pool
        without the liveness ping (a round trip before every batch); a dead connection
        fails its batch, which the committer then retries on a fresh one."""
        self._checkpointer: _Checkpointer | None = None
        if self.is_sqlite:
            self.engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30}
            )
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)
            database = make_url(self.url).database
            if database and database != ":memory:":
                self._checkpointer = _Checkpointer(database, checkpoint_interval)
            self.write_engine = self.engine
        else:
            self.engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
            )
            self.write_engine = create_engine(self.url, pool_size=2, max_overflow=pool_size)

    @property
    def is_sqlite(self) -> bool:
        """True for a SQLite database."""
        return make_url(self.url).get_backend_name() == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction, committed on success and rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    def create_all(self, *metadatas: MetaData) -> None:
        """Create missing tables; safe when several workers start at once."""
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                key = zlib.crc32(b"tillbench.mocks.create_all")
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
            for metadata in metadatas:
                metadata.create_all(conn, checkfirst=True)

    def upsert(self, table: Table) -> Any:
        """A dialect ``INSERT`` supporting ``on_conflict_do_update``/``do_nothing``."""
        stmt: Insert = (sqlite.insert if self.is_sqlite else postgresql.insert)(table)
        return stmt

    def after_commit(self) -> None:
        """Called by the group committer between batches: on SQLite, let the WAL start
        over when the background checkpoints have fallen behind (see the module docstring).
        """
        if self._checkpointer is None or not self._checkpointer.catch_up:
            return
        raw = self.write_engine.raw_connection()
        try:
            dbapi: Any = raw.dbapi_connection
            busy, _frames, _done = dbapi.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if not busy:
                self._checkpointer.catch_up = False
        except sqlite3.Error:
            pass
        finally:
            raw.close()

    def dispose(self) -> None:
        """Stop the checkpointer and close pooled connections."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
        self.engine.dispose()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class _Checkpointer:
    """Checkpoints a SQLite WAL from a daemon thread with its own connection."""

    catch_up_frames = 2048
    """WAL size (pages) beyond which ``catch_up`` asks the committer for a checkpoint
    between two batches, so that the WAL starts over."""
    restart_frames = 16384
    """WAL size (pages) beyond which the thread forces a RESTART checkpoint (no committer
    caught up: the WAL, and the cost of every read through it, would grow without bound)."""

    def __init__(self, path: str, interval: float) -> None:
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self.catch_up = False
        self._thread = threading.Thread(target=self._loop, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(self._interval):
                if conn is None:
                    if not os.path.exists(self._path):
                        continue
                    conn = sqlite3.connect(self._path, timeout=1, check_same_thread=False)
                with contextlib.suppress(sqlite3.Error):
                    _busy, frames, _done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.catch_up = frames >= self.catch_up_frames
                    if frames >= self.restart_frames:
                        conn.execute("PRAGMA wal_checkpoint(RESTART)")
        finally:
            if conn is not None:
                conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

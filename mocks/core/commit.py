"""Group commit: write transactions of concurrent requests share one database commit.

A request hands its work (a function of a connection) to ``Committer.run`` and awaits the
result. Work queued during one turn of the event loop runs in a single transaction followed
by one commit; only then do the awaiting requests answer. If a piece fails, the whole
transaction is rolled back and the batch runs again with each piece inside its own
savepoint, so a failure rolls back only its own piece (work must therefore be repeatable:
a function of the database state, without side effects elsewhere). Acknowledged writes
stay durable, and the cost of a commit is shared by everything in the batch.

The whole batch runs in one synchronous callback, so no other code on the event loop can
interleave with an open transaction. ``BatchHook`` objects see each attempt begin, get a
last word before the commit (the journal writes its rows; the ERP applies the batch's stock
moves in key order, so concurrent batches never deadlock on stock rows) and see it end.
A batch that fails with a transient database error (deadlock, serialization, a dropped
connection) is retried.

Round trips: on PostgreSQL each statement waits for the server, and on a small machine the
wake-ups cost more than the statements. So a piece may pass a ``hint`` (what it is about
to do) that hooks see in ``prepare`` before the pieces run (the ERP fetches the master data
of all the batch's documents in one query), and the first attempt of a batch whose pieces
all gave hints runs in psycopg pipeline mode: statements go out without waiting, and a
piece can ``defer`` reading their results (and the checks that depend on them) to the end
of the batch. A deferred check that fails fails the attempt, and the isolated attempt
then runs every check at once, in its piece.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from mocks.core.db import Database

T = TypeVar("T")
Work = Callable[[Connection], Any]
Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]
Batch = list[tuple[Work, "asyncio.Future[Any]", object]]
_DEFERRED = "tillbench.commit.deferred"


def defer(conn: Connection, check: Callable[[], None]) -> None:
    """Run ``check`` at the end of the batch's first attempt, before the commit (pipeline
    results are read then); outside such an attempt, run it now."""
    deferred: list[Callable[[], None]] | None = conn.info.get(_DEFERRED)
    if deferred is None:
        check()
    else:
        deferred.append(check)


class BatchHook(Protocol):
    """Callbacks around each attempt of a group transaction."""

    def begin(self, conn: Connection) -> None:
        """The transaction of an attempt has begun. A hook may also define
        ``prepare(conn, hints)``: called next, with the ``hint`` of every piece."""

    def before_commit(self, conn: Connection) -> None:
        """Every piece has run; write what was deferred to the end."""

    def mark(self, conn: Connection) -> object:
        """Isolated attempts: a piece is about to run in a savepoint; return a marker."""

    def undo(self, conn: Connection, marker: object) -> None:
        """Isolated attempts: the piece failed; forget what it deferred since ``marker``."""

    def end(self, conn: Connection, committed: bool) -> None:
        """The attempt is over: committed, or rolled back."""


class Committer:
    """Batches write transactions on the event loop; see the module docstring."""

    def __init__(
        self,
        db: Database,
        *,
        max_batch: int = 128,
        hooks: Sequence[BatchHook] = (),
        retries: int = 3,
    ) -> None:
        self.db = db
        self.max_batch = max_batch
        self.hooks = list(hooks)
        self.retries = retries
        self._queue: Batch = []
        self._scheduled = False
        self.batches = 0
        self.items = 0

    async def run(self, work: Callable[[Connection], T], *, hint: object = None) -> T:
        """Run ``work(conn)`` in the next group transaction; return once it is committed.
        ``hint`` describes the work for the hooks' ``prepare``."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((work, future, hint))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
        self._scheduled = bool(self._queue)
        if self._queue:
            asyncio.get_running_loop().call_soon(self._flush)
        try:
            outcomes = self._with_retries(batch)
        except Exception as exc:
            for _work, future, _hint in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.batches += 1
        self.items += len(batch)
        self.db.after_commit()
        for future, result, error in outcomes:
            if future.done():
                continue
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    def _with_retries(self, batch: Batch) -> list[Outcome]:
        for attempt in range(self.retries + 1):
            try:
                outcomes = self._attempt(batch, isolated=False)
                return outcomes if outcomes is not None else self._isolated(batch)
            except (OperationalError, DBAPIError) as exc:
                if attempt == self.retries or not _transient(exc):
                    raise
        raise AssertionError("unreachable")

    def _isolated(self, batch: Batch) -> list[Outcome]:
        outcomes = self._attempt(batch, isolated=True)
        assert outcomes is not None
        return outcomes

    def _attempt(self, batch: Batch, *, isolated: bool) -> list[Outcome] | None:
        """One transaction over the batch. Not isolated: None (rolled back) when a piece
        or a deferred check fails. Isolated: each piece in a savepoint."""
        with self.db.write_engine.connect() as conn:
            tx = conn.begin()
            committed = False
            try:
                for hook in self.hooks:
                    hook.begin(conn)
                if isolated:
                    self._prepare(conn, batch)
                    outcomes = self._isolated_pieces(conn, batch)
                    for hook in self.hooks:
                        hook.before_commit(conn)
                else:
                    pieces = self._pieces(conn, batch)
                    if pieces is None:
                        tx.rollback()
                        return None
                    outcomes = pieces
                tx.commit()
                committed = True
                return outcomes
            except BaseException:
                if tx.is_active:
                    tx.rollback()
                raise
            finally:
                conn.info.pop(_DEFERRED, None)
                for hook in self.hooks:
                    hook.end(conn, committed)

    def _prepare(self, conn: Connection, batch: Batch) -> None:
        hints = [hint for _work, _future, hint in batch]
        for hook in self.hooks:
            prepare = getattr(hook, "prepare", None)
            if prepare is not None:
                prepare(conn, hints)

    def _pieces(self, conn: Connection, batch: Batch) -> list[Outcome] | None:
        """The hooks' ``prepare``, every piece, the hooks' ``before_commit``, then the
        deferred checks; None when something fails (not transiently). On PostgreSQL, when
        every piece gave a hint (it was written for it), all in one pipeline: three waits
        for the server (the hooks' reads, the checks, the end of the pipeline). Work not
        written for a pipeline (where a database error only surfaces at the next read)
        runs statement by statement, as it always did."""
        outcomes: list[Outcome] = []
        deferred: list[Callable[[], None]] = []
        hinted = all(hint is not None for _work, _future, hint in batch)
        try:
            with _pipeline(conn) if hinted else nullcontext():
                self._prepare(conn, batch)
                conn.info[_DEFERRED] = deferred
                for work, future, _hint in batch:
                    outcomes.append((future, work(conn), None))
                del conn.info[_DEFERRED]
                for hook in self.hooks:
                    hook.before_commit(conn)
                for check in deferred:
                    check()
        except Exception as exc:
            if isinstance(exc, OperationalError | DBAPIError) and _transient(exc):
                raise
            return None
        return outcomes

    def _isolated_pieces(self, conn: Connection, batch: Batch) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for work, future, _hint in batch:
            marks = [hook.mark(conn) for hook in self.hooks]
            result, error = _in_savepoint(conn, work)
            if error is not None:
                for hook, marker in zip(self.hooks, marks, strict=True):
                    hook.undo(conn, marker)
            outcomes.append((future, result, error))
        return outcomes


def _pipeline(conn: Connection) -> AbstractContextManager[Any]:
    """psycopg pipeline mode on PostgreSQL (statements sent without waiting); else nothing."""
    if conn.dialect.name != "postgresql":
        return nullcontext()
    dbapi: Any = conn.connection.dbapi_connection
    pipeline: AbstractContextManager[Any] = dbapi.pipeline()
    return pipeline


def _transient(exc: DBAPIError) -> bool:
    """Deadlock, serialization failure, a locked SQLite file, or a connection that died
    (the pool has dropped it; the retry gets a fresh one)."""
    if exc.connection_invalidated:
        return True
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(exc.orig)


def _in_savepoint(conn: Connection, work: Work) -> tuple[Any, BaseException | None]:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    cursor.execute("SAVEPOINT tillbench_work")
    try:
        result = work(conn)
    except Exception as exc:
        cursor.execute("ROLLBACK TO SAVEPOINT tillbench_work")
        cursor.execute("RELEASE SAVEPOINT tillbench_work")
        return None, exc
    cursor.execute("RELEASE SAVEPOINT tillbench_work")
    return result, None

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
A batch that fails with a transient database error (deadlock, serialization) is retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from mocks.core.db import Database

T = TypeVar("T")
Work = Callable[[Connection], Any]
Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]
Batch = list[tuple[Work, "asyncio.Future[Any]"]]


class BatchHook(Protocol):
    """Callbacks around each attempt of a group transaction."""

    def begin(self, conn: Connection) -> None:
        """The transaction of an attempt has begun."""

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

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(conn)`` in the next group transaction; return once it is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((work, future))
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
            for _work, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.batches += 1
        self.items += len(batch)
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
        fails. Isolated: each piece in a savepoint."""
        with self.db.engine.connect() as conn:
            tx = conn.begin()
            committed = False
            try:
                for hook in self.hooks:
                    hook.begin(conn)
                outcomes: list[Outcome] = []
                for work, future in batch:
                    if isolated:
                        marks = [hook.mark(conn) for hook in self.hooks]
                        result, error = _in_savepoint(conn, work)
                        if error is not None:
                            for hook, marker in zip(self.hooks, marks, strict=True):
                                hook.undo(conn, marker)
                        outcomes.append((future, result, error))
                        continue
                    try:
                        outcomes.append((future, work(conn), None))
                    except Exception as exc:
                        if isinstance(exc, OperationalError | DBAPIError) and _transient(exc):
                            raise
                        tx.rollback()
                        return None
                for hook in self.hooks:
                    hook.before_commit(conn)
                tx.commit()
                committed = True
                return outcomes
            except BaseException:
                if tx.is_active:
                    tx.rollback()
                raise
            finally:
                for hook in self.hooks:
                    hook.end(conn, committed)


def _transient(exc: DBAPIError) -> bool:
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

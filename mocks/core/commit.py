"""Group commit: write transactions of concurrent requests share one database commit.

A request hands its work (a function of a connection) to ``Committer.run`` and awaits the
result. Work queued during one turn of the event loop runs in a single transaction followed
by one commit; only then do the awaiting requests answer. If a piece fails, the whole
transaction is rolled back and the batch runs again with each piece inside its own
savepoint, so a failure rolls back only its own piece (work must therefore be repeatable:
a function of the database state, without side effects elsewhere). Acknowledged writes
stay durable, and the cost of a commit is shared by everything in the batch.

The whole batch runs in one synchronous callback, so no other code on the event loop can
interleave with an open transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection

from mocks.core.db import Database

T = TypeVar("T")
Work = Callable[[Connection], Any]
BeforeCommit = Callable[[Connection], None]
Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


class Committer:
    """Batches write transactions on the event loop; see the module docstring."""

    def __init__(
        self, db: Database, *, max_batch: int = 128, before_commit: BeforeCommit | None = None
    ) -> None:
        self.db = db
        self.max_batch = max_batch
        self.before_commit = before_commit
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
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
            outcomes = self._optimistic(batch)
            if outcomes is None:
                outcomes = self._isolated(batch)
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

    def _optimistic(self, batch: list[tuple[Work, asyncio.Future[Any]]]) -> list[Outcome] | None:
        """Run the batch without savepoints; None (all rolled back) if any piece fails."""
        with self.db.engine.connect() as conn:
            tx = conn.begin()
            outcomes: list[Outcome] = []
            try:
                for work, future in batch:
                    outcomes.append((future, work(conn), None))
            except Exception:
                tx.rollback()
                return None
            try:
                if self.before_commit is not None:
                    self.before_commit(conn)
                tx.commit()
            except BaseException:
                tx.rollback()
                raise
            return outcomes

    def _isolated(self, batch: list[tuple[Work, asyncio.Future[Any]]]) -> list[Outcome]:
        """Run the batch again, each piece in a savepoint, so failures stay private."""
        with self.db.engine.connect() as conn:
            tx = conn.begin()
            outcomes: list[Outcome] = []
            try:
                for work, future in batch:
                    outcomes.append((future, *_attempt(conn, work)))
                if self.before_commit is not None:
                    self.before_commit(conn)
                tx.commit()
            except BaseException:
                tx.rollback()
                raise
            return outcomes


def _attempt(conn: Connection, work: Work) -> tuple[Any, BaseException | None]:
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

"""Group commit: concurrent writes share a commit; one failure rolls back only itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, text

from mocks.core import Database
from mocks.core.commit import Committer, defer

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), unique=True),
)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'c.sqlite'}")
    database.create_all(metadata)
    return database


def _insert(name: str):  # type: ignore[no-untyped-def]
    def work(conn):  # type: ignore[no-untyped-def]
        conn.execute(things.insert().values(name=name))
        return name

    return work


def test_concurrent_writes_share_commits(db: Database) -> None:
    committer = Committer(db)

    async def scenario() -> list[str]:
        return await asyncio.gather(*(committer.run(_insert(f"n{i}")) for i in range(50)))

    assert asyncio.run(scenario()) == [f"n{i}" for i in range(50)]
    assert committer.items == 50
    assert committer.batches < 5
    with db.begin() as conn:
        assert conn.execute(select(func.count()).select_from(things)).scalar_one() == 50


def test_failed_work_rolls_back_alone(db: Database) -> None:
    committer = Committer(db)

    def partial_then_fail(conn):  # type: ignore[no-untyped-def]
        conn.execute(things.insert().values(name="ghost"))
        raise ValueError("boom")

    async def scenario() -> list[object]:
        return await asyncio.gather(
            committer.run(_insert("a")),
            committer.run(partial_then_fail),
            committer.run(_insert("a")),
            committer.run(_insert("b")),
            return_exceptions=True,
        )

    first, failed, duplicate, last = asyncio.run(scenario())
    assert (first, last) == ("a", "b")
    assert isinstance(failed, ValueError)
    assert "UNIQUE" in str(duplicate) or "unique" in str(duplicate)
    with db.begin() as conn:
        names = sorted(conn.execute(select(things.c.name)).scalars())
    assert names == ["a", "b"]


def test_hooks_see_the_batch_and_its_outcome(db: Database) -> None:
    events: list[object] = []

    class Hook:
        def begin(self, conn):  # type: ignore[no-untyped-def]
            events.append("begin")

        def mark(self, conn):  # type: ignore[no-untyped-def]
            return len(events)

        def undo(self, conn, marker):  # type: ignore[no-untyped-def]
            events.append(("undo", marker))

        def before_commit(self, conn):  # type: ignore[no-untyped-def]
            events.append(conn.execute(text("SELECT count(*) FROM things")).scalar_one())

        def end(self, conn, committed):  # type: ignore[no-untyped-def]
            events.append(("end", committed))

    def fail(conn):  # type: ignore[no-untyped-def]
        raise ValueError("no")

    committer = Committer(db, hooks=[Hook()])

    async def scenario() -> list[object]:
        return await asyncio.gather(
            committer.run(_insert("x")), committer.run(fail), return_exceptions=True
        )

    asyncio.run(scenario())
    assert events == ["begin", ("end", False), "begin", ("undo", 3), 1, ("end", True)]


def test_deferred_check_that_fails_fails_only_its_own_piece(db: Database) -> None:
    committer = Committer(db)

    def insert_then_refuse(conn):  # type: ignore[no-untyped-def]
        conn.execute(things.insert().values(name="refused"))

        def check() -> None:
            raise LookupError("taken")

        defer(conn, check)
        return "never"

    async def scenario() -> list[object]:
        return await asyncio.gather(
            committer.run(_insert("kept")),
            committer.run(insert_then_refuse),
            committer.run(_insert("also-kept")),
            return_exceptions=True,
        )

    kept, refused, also_kept = asyncio.run(scenario())
    assert (kept, also_kept) == ("kept", "also-kept")
    assert isinstance(refused, LookupError)
    with db.begin() as conn:
        assert sorted(conn.execute(select(things.c.name)).scalars()) == ["also-kept", "kept"]


def test_defer_outside_a_batch_runs_the_check_at_once(db: Database) -> None:
    ran: list[str] = []
    with db.begin() as conn:
        defer(conn, lambda: ran.append("now"))
        assert ran == ["now"]


def test_hooks_prepare_with_every_hint_of_the_batch(db: Database) -> None:
    seen: list[list[object]] = []

    class Hook:
        def begin(self, conn):  # type: ignore[no-untyped-def]
            pass

        def prepare(self, conn, hints):  # type: ignore[no-untyped-def]
            seen.append(list(hints))

        def mark(self, conn):  # type: ignore[no-untyped-def]
            return None

        def undo(self, conn, marker):  # type: ignore[no-untyped-def]
            pass

        def before_commit(self, conn):  # type: ignore[no-untyped-def]
            pass

        def end(self, conn, committed):  # type: ignore[no-untyped-def]
            pass

    committer = Committer(db, hooks=[Hook()])

    async def scenario() -> list[str]:
        return await asyncio.gather(
            committer.run(_insert("a"), hint="first"), committer.run(_insert("b"))
        )

    assert asyncio.run(scenario()) == ["a", "b"]
    assert seen == [["first", None]]


def test_sqlite_wal_starts_over_between_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mocks.core import db as db_module

    monkeypatch.setattr(db_module._Checkpointer, "catch_up_frames", 32)
    monkeypatch.setattr(db_module._Checkpointer, "restart_frames", 10**9)
    path = tmp_path / "wal.sqlite"
    database = Database(f"sqlite:///{path}", checkpoint_interval=0.005)
    database.create_all(metadata)
    committer = Committer(database)
    payload = "x" * 15

    def insert_many(start: int):  # type: ignore[no-untyped-def]
        def work(conn):  # type: ignore[no-untyped-def]
            conn.execute(
                things.insert(), [{"name": f"{payload}{start + i}"[-20:]} for i in range(50)]
            )

        return work

    async def scenario() -> None:
        for batch in range(300):
            await committer.run(insert_many(batch * 50))
            await asyncio.sleep(0.001)

    try:
        asyncio.run(scenario())
        wal_pages = (path.parent / (path.name + "-wal")).stat().st_size // 4096
    finally:
        database.dispose()
    # 300 batches write well over 1,000 pages: without starting over, the WAL holds them all
    assert wal_pages < 400

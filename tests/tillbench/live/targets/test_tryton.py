"""`TrytonErp`, the real Tryton as the ERP target: what it takes and what it skips, its
reads and its stop — without a Tryton (its end-to-end run is in tests/tillbench/live)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import httpx

from tillbench.live.targets import TargetOptions, erp_target
from tillbench.live.targets.tryton import SQLITE_WRITERS_NOTE, TrytonErp
from tillbench.live.tryton import ERP_SIDE_EVENTS_NOTE, NOT_APPLICABLE_WHY, TrytonSide


class _Reader:
    def __init__(self) -> None:
        self.closed = 0

    def stock(self, stores: list[str]) -> dict[tuple[str, str], Decimal]:
        return {(store, "A"): Decimal("3") for store in stores}

    def close(self) -> None:
        self.closed += 1


def _started(reader: _Reader) -> TrytonErp:
    target = erp_target("tryton")
    assert isinstance(target, TrytonErp)
    side = TrytonSide(
        url="http://127.0.0.1:8123/tillbench/",
        user="admin",
        password="pw",
        company_id=1,
        database_kind="sqlite",
        database="/runs/x/erp",
        cache_hit=True,
        log_path=Path("/runs/x/erp/trytond.log"),
    )
    side._reader = reader  # type: ignore[assignment]
    target._side = side
    target._stack.callback(side.stop)
    return target


def test_one_writer_on_sqlite_unless_asked_or_on_postgresql() -> None:
    sqlite = TrytonErp(TargetOptions())
    postgres = TrytonErp(TargetOptions(erp_db_url="postgresql://u@127.0.0.1/"))

    assert sqlite.workers(None) == (1, SQLITE_WRITERS_NOTE)
    assert sqlite.workers(3) == (3, None)
    assert postgres.workers(None) == (None, None)


def test_events_and_faults_are_skipped_with_the_reason() -> None:
    target = TrytonErp(TargetOptions())

    assert target.events_skipped == ERP_SIDE_EVENTS_NOTE
    assert target.faults_skipped == NOT_APPLICABLE_WHY
    assert target.events(on_applied=lambda _event, _wall: None) is None


def test_the_started_tryton_speaks_for_itself() -> None:
    target = _started(_Reader())

    assert target.url == "http://127.0.0.1:8123/tillbench/"
    assert target.database == "sqlite: /runs/x/erp"
    assert target.connector_env()["TILLBENCH_ERP_KIND"] == "tryton"
    assert target.seed(world=None, stock=[("S0001", "A", 3)]) == {}
    described = target.describe()
    assert described is not None
    assert described["kind"] == "tryton-8.2"


def test_the_stock_read_takes_the_samplers_client_and_reads_with_its_own() -> None:
    target = _started(_Reader())
    read = target.stock_read(["S0001"])

    async def once() -> object:
        async with httpx.AsyncClient() as client:
            return await read(client)

    assert asyncio.run(once()) == {("S0001", "A"): 3.0}


def test_stop_closes_the_session_once_and_may_be_called_again() -> None:
    reader = _Reader()
    target = _started(reader)

    target.stop()
    target.stop()

    assert reader.closed == 1

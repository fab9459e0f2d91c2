"""A real Tryton 8.2 as the ERP target of the run (``--erp tryton``).

`TrytonErp` wraps `tillbench.live.tryton.TrytonSide`: `start` initialises the run's
database from the scenario's world (cached per master-data spec; SQLite under ``RUN/erp/``
or PostgreSQL at ``--erp-db``) and starts ``trytond``, so seeding is already done; the
harness reads Tryton with its own reader. What a real ERP cannot do is said, not faked:
ERP-side scenario events and the mock ERP's faults are skipped (``run.json`` lists them),
and on SQLite the connector gets one writer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from domain.clock import RunClock
from tillbench.live.erp_events import ErpEvent
from tillbench.live.errors import HarnessError, UsageError
from tillbench.live.processes import ProcessSet
from tillbench.live.seed import minor_exponent
from tillbench.live.targets.protocol import (
    EventApply,
    Opening,
    StockLevels,
    StockRead,
    TargetOptions,
    TargetRun,
)
from tillbench.live.tryton import (
    ERP_SIDE_EVENTS_NOTE,
    NOT_APPLICABLE_WHY,
    TrytonSide,
    start_tryton,
)

__all__ = ["SQLITE_WRITERS_NOTE", "TrytonErp"]

SQLITE_WRITERS_NOTE = (
    "Tryton on SQLite: one ERP writer (workers=1); with more, Tryton hands out "
    "duplicate sale numbers: use PostgreSQL (--erp-db) for concurrent writers"
)


class TrytonErp:
    """Tryton behind the connector, started for the run and stopped after it."""

    name = "tryton"
    events_skipped: str | None = ERP_SIDE_EVENTS_NOTE
    faults_skipped: str | None = NOT_APPLICABLE_WHY

    def __init__(self, options: TargetOptions) -> None:
        url = options.erp_db_url
        if url is not None and not url.startswith(("postgresql://", "postgres://")):
            raise UsageError(
                f"--erp-db: expected a PostgreSQL URL like postgresql://user:pw@127.0.0.1/db, "
                f"got {url!r}; leave it out for SQLite under the run directory"
            )
        self.erp_db_url = url
        self._stack = contextlib.ExitStack()
        self._side: TrytonSide | None = None
        self._run: TargetRun | None = None

    @property
    def side(self) -> TrytonSide:
        if self._side is None:
            raise HarnessError("Tryton was not started")
        return self._side

    @property
    def url(self) -> str:
        return self.side.url

    @property
    def database(self) -> str:
        return f"{self.side.database_kind}: {self.side.database}"

    def workers(self, asked: int | None) -> tuple[int | None, str | None]:
        if asked is None and self.erp_db_url is None:
            return 1, SQLITE_WRITERS_NOTE
        return asked, None

    def start(self, run: TargetRun, procs: ProcessSet) -> None:
        """Initialise the database and start ``trytond`` (blocks until it answers)."""
        del procs  # trytond is stopped by `stop`
        self._run = run
        self._side = start_tryton(
            self._stack,
            scenario=run.scenario,
            seed=run.seed,
            run_dir=run.run_dir,
            erp_db_url=self.erp_db_url,
            progress=run.progress,
        )

    def ready(self) -> None:
        """`start` returned once Tryton answered."""

    def seed(self, world: Any, stock: Opening) -> dict[str, int]:
        """Tryton's master data was loaded when its database was built."""
        del world, stock
        return {}

    def connector_env(self) -> dict[str, str]:
        return self.side.connector_env()

    def anchor(self, clock: RunClock) -> None:
        """A real ERP runs on the wall clock."""

    async def fault(self, spec: dict[str, Any]) -> tuple[float, float]:
        raise HarnessError(f"a fault cannot be injected into Tryton: {spec}")

    def stock_read(self, stores: list[str]) -> StockRead:
        read = self.side.stock_reader(stores)

        async def stock(_client: httpx.AsyncClient) -> StockLevels | None:
            return await read()

        return stock

    def events(self, *, on_applied: Callable[[ErpEvent, float], None]) -> EventApply | None:
        return None

    def collect(self, run_dir: Path, *, clock: RunClock, stores: list[str]) -> dict[str, int]:
        assert self._run is not None
        currency = self._run.scenario.currency
        collect = self.side.collector(
            run_dir, clock=clock, exponent=minor_exponent(currency), currency=currency
        )
        return collect()

    def describe(self) -> dict[str, Any] | None:
        return self.side.describe()

    def stop(self) -> None:
        """Close the harness's session and stop ``trytond``."""
        self._stack.close()

"""`MockPos` and `MockErp`: a dialect of `mocks` as a target, for any registered dialect.

Everything that goes through the mock engines' own doors is here, the same for every
dialect: the child process (`tillbench.live.mocks.spawn_mock` with the dialect's app
factory from ``mocks/pos/dialects.py`` or ``mocks/erp/dialects.py``), readiness, seeding
(the POS engine's ``/driver/v1/inventory``, the ERP engine's ``/admin/erp/catalog``), the
driver's ingestion door, the clock (``PUT /admin/clock``), faults (``POST /admin/faults``),
the request journal and the POS's webhook delivery log. What a connector sees on the wire
— URLs, subscriptions, stock and catalogue reads, the end state through the public API —
is the dialect's: a subclass per dialect implements the abstract methods (``square``,
``bc``).
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import httpx

from domain.clock import RunClock, epoch
from domain.rundir import write_table
from mocks.erp import dialects as erp_dialects
from mocks.pos import dialects as pos_dialects
from tillbench.live.erp_events import ErpEvent
from tillbench.live.errors import HarnessError, UsageError
from tillbench.live.mocks import (
    ADMIN_TOKEN,
    MockProcess,
    erp_settings_for,
    hide_password,
    mock_db_url,
    mock_settings,
    spawn_mock,
)
from tillbench.live.processes import ProcessSet
from tillbench.live.seed import (
    chunks_by_size,
    erp_catalog,
    erp_catalog_chunks,
    minor_exponent,
    pos_counts,
)
from tillbench.live.targets.protocol import (
    EventApply,
    Opening,
    PriceRead,
    StockRead,
    TargetOptions,
    TargetRun,
)

__all__ = ["MockErp", "MockPos", "MockTarget"]


class MockTarget(abc.ABC):
    """A mock of the run in a child process (`MockPos`, `MockErp`)."""

    name: str
    """The dialect: its name in ``mocks/<side>/dialects.py`` and in the targets' registry."""
    side: ClassVar[str]
    """``pos`` or ``erp``."""

    def __init__(self, options: TargetOptions) -> None:
        try:
            self.factory = self._app_factory(self.name)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        self.options = options
        self._server: MockProcess | None = None
        self._run: TargetRun | None = None

    @staticmethod
    @abc.abstractmethod
    def _app_factory(name: str) -> str:
        """The dialect's ``module:function`` app factory."""

    @abc.abstractmethod
    def _settings(self, run: TargetRun) -> dict[str, Any]:
        """The mock's settings beyond `mock_settings`."""

    @property
    def server(self) -> MockProcess:
        if self._server is None:
            raise HarnessError(f"the mock {self.side} ({self.name}) was not started")
        return self._server

    @property
    def run(self) -> TargetRun:
        if self._run is None:
            raise HarnessError(f"the mock {self.side} ({self.name}) was not started")
        return self._run

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` of the mock."""
        return self.server.base

    @property
    def database(self) -> str:
        return hide_password(self.server.db)

    @property
    def harness_headers(self) -> dict[str, str]:
        """The harness's own credential (its calls are told apart in the journal)."""
        return {"Authorization": f"Bearer {self.run.credentials.harness}"}

    def start(self, run: TargetRun, procs: ProcessSet) -> None:
        self._run = run
        settings = {
            **mock_settings(run.scenario, speed=run.speed, credentials=run.credentials),
            **self._settings(run),
        }
        self._server = spawn_mock(
            procs,
            side=self.side,
            factory=self.factory,
            run_dir=run.run_dir,
            db=mock_db_url(run.run_dir, self.options.db_url, self.side),
            settings=settings,
        )

    def ready(self) -> None:
        self.server.wait_ready()

    def anchor(self, clock: RunClock) -> None:
        self.server.anchor(clock)

    async def fault(self, spec: dict[str, Any]) -> tuple[float, float]:
        return await self.server.fault(spec)

    def describe(self) -> dict[str, Any] | None:
        return None

    def stop(self) -> None:
        """The run's process set stops the mock."""
        return

    def _collect_with_journal(
        self, run_dir: Path, tables: Callable[[], dict[str, int]]
    ) -> dict[str, int]:
        """``tables()`` while the journal downloads (building it takes the mock a while)."""
        failed: list[BaseException] = []

        def fetch() -> None:
            try:
                self.server.fetch_journal(run_dir / self.side)
            except BaseException as exc:  # re-raised in the caller's thread
                failed.append(exc)

        journal = threading.Thread(target=fetch, name=f"journal-{self.side}")
        journal.start()
        try:
            counts = tables()
        finally:
            journal.join()
        if failed:
            raise failed[0]
        return counts


class MockPos(MockTarget):
    """The mock POS speaking one dialect; a subclass per dialect reads its public API."""

    side = "pos"

    @staticmethod
    def _app_factory(name: str) -> str:
        return pos_dialects.app_factory(name)

    def _settings(self, run: TargetRun) -> dict[str, Any]:
        return {"currency": run.scenario.currency}

    @property
    def driver_url(self) -> str:
        return self.base

    @property
    def driver_token(self) -> str:
        return ADMIN_TOKEN

    def seed(self, world: Any, stock: Opening) -> dict[str, int]:
        """The catalogue, locations and opening counts through ``/driver/v1/inventory``, in
        requests below the mock's body limit (`chunks_by_size`)."""
        counts = pos_counts(world, self.run.scenario, stock)
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(timeout=120, headers=headers) as client:
            for part in chunks_by_size(counts):
                response = client.post(f"{self.base}/driver/v1/inventory", json={"counts": part})
                _check(response, "seeding the POS (POST /driver/v1/inventory)")
        return {
            "items": len(world.catalog.sku_ids),
            "locations": len(world.store_ids),
            "stock": len(stock),
        }

    def collect(self, run_dir: Path, *, clock: RunClock, stores: list[str]) -> dict[str, int]:
        """The journal, the webhook delivery log and the dialect's tables (`collect_tables`)."""

        def tables() -> dict[str, int]:
            return {
                "pos/webhooks": self._webhooks(run_dir),
                **self.collect_tables(run_dir, stores=stores),
            }

        return self._collect_with_journal(run_dir, tables)

    def _webhooks(self, run_dir: Path) -> int:
        """``pos/webhooks``: the engine's delivery log (``/admin/pos/webhooks/deliveries``)."""
        rows: list[dict[str, Any]] = []
        since = 0
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(timeout=120, headers=headers) as admin:
            while True:
                response = admin.get(
                    f"{self.base}/admin/pos/webhooks/deliveries",
                    params={"since_id": since, "limit": 10000},
                )
                response.raise_for_status()
                page = response.json()
                batch = page.get("rows") or []
                for r in batch:
                    outcome = str(r.get("outcome") or "")
                    rows.append(
                        {
                            "event_id": r.get("event_id"),
                            "event_type": r.get("event_type"),
                            "attempt": r.get("attempt"),
                            "status": r.get("status_code") or 0,
                            "sent_wall": epoch(r.get("sent_at")),
                            "latency_ms": r.get("latency_ms"),
                            "fault": _webhook_fault(outcome),
                            "outcome": outcome,
                            "error": r.get("error"),
                        }
                    )
                if not batch or page.get("next_since_id", since) == since:
                    break
                since = int(page["next_since_id"])
        write_table(run_dir, "pos/webhooks", rows)
        return len(rows)

    # the dialect's public API ----------------------------------------------------------

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """The POS base URL the connector is given."""

    @abc.abstractmethod
    def connector_env(self) -> dict[str, str]:
        """``TILLBENCH_POS_KIND``, ``TILLBENCH_POS_URL``, ``TILLBENCH_POS_TOKEN``."""

    @abc.abstractmethod
    def subscribe(self, notification_url: str) -> str:
        """The connector's webhook subscription; its signature key."""

    @abc.abstractmethod
    def stock_read(self, stores: list[str]) -> StockRead:
        """Stock at ``stores`` through the dialect's inventory API."""

    @abc.abstractmethod
    def price_read(self) -> PriceRead | None:
        """Catalogue prices through the dialect's catalogue API."""

    @abc.abstractmethod
    def collect_tables(self, run_dir: Path, *, stores: list[str]) -> dict[str, int]:
        """``pos/orders``, ``pos/catalog``, ``pos/customers`` through the public API."""


class MockErp(MockTarget):
    """The mock ERP speaking one dialect; a subclass per dialect reads its public API."""

    side = "erp"
    events_skipped: str | None = None
    faults_skipped: str | None = None

    def __init__(self, options: TargetOptions) -> None:
        if options.erp_db_url is not None:
            raise UsageError(
                "--erp-db is the database of a real ERP: use it with --erp tryton (the mock "
                "ERP's database is --db)"
            )
        super().__init__(options)

    @staticmethod
    def _app_factory(name: str) -> str:
        return erp_dialects.app_factory(name)

    def _settings(self, run: TargetRun) -> dict[str, Any]:
        return erp_settings_for(run.scenario)

    def workers(self, asked: int | None) -> tuple[int | None, str | None]:
        return asked, None

    def seed(self, world: Any, stock: Opening) -> dict[str, int]:
        """Items, locations, customers and opening stock through ``/admin/erp/catalog``, in
        requests below the mock's body limit (`erp_catalog_chunks`)."""
        body = erp_catalog(world, stock, exponent=minor_exponent(self.run.scenario.currency))
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(timeout=120, headers=headers) as client:
            for part in erp_catalog_chunks(body):
                response = client.post(f"{self.base}/admin/erp/catalog", json=part)
                _check(response, "seeding the ERP (POST /admin/erp/catalog)")
        return {key: len(body[key]) for key in ("items", "locations", "customers", "stock")}

    def collect(self, run_dir: Path, *, clock: RunClock, stores: list[str]) -> dict[str, int]:
        """The journal and the dialect's tables (`collect_tables`)."""
        return self._collect_with_journal(run_dir, lambda: self.collect_tables(run_dir, clock))

    # the dialect's public API ----------------------------------------------------------

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """The ERP API root the connector is given."""

    @abc.abstractmethod
    def connector_env(self) -> dict[str, str]:
        """``TILLBENCH_ERP_KIND``, ``_URL``, ``_COMPANY``, ``_TOKEN``."""

    @abc.abstractmethod
    def stock_read(self, stores: list[str]) -> StockRead:
        """Stock at ``stores`` through the dialect's API."""

    @abc.abstractmethod
    def events(self, *, on_applied: Callable[[ErpEvent, float], None]) -> EventApply | None:
        """ERP-side events through the dialect's API."""

    @abc.abstractmethod
    def collect_tables(self, run_dir: Path, clock: RunClock) -> dict[str, int]:
        """``erp/documents``, ``erp/document_lines``, ``erp/customers``, ``erp/items``."""


def _webhook_fault(outcome: str) -> str | None:
    """The injected fault behind a delivery outcome (None for a plain delivery or failure)."""
    if outcome.startswith("duplicate"):
        return "duplicate"
    return {"dropped": "drop", "held": "reorder"}.get(outcome)


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 300:
        raise HarnessError(f"{what} failed with {response.status_code}: {response.text[:500]}")

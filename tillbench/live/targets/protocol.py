"""What a live run needs of the systems on either side of the connector: `PosTarget` and
`ErpTarget`.

A target is a POS or an ERP the harness runs for one run — a mock dialect of `mocks`, or a
real Tryton. It starts and stops it, seeds it with the scenario's world, tells the
connector where it is (the contract's ``TILLBENCH_POS_*`` / ``TILLBENCH_ERP_*`` variables,
``*_KIND`` included), anchors it on the run's clock, injects faults, reads its stock
through its public API for the sampler and writes its end state into the run tables.
`tillbench.live.run` drives both through these protocols and never asks which dialect it
got; everything after collection works on run tables.

In the order of a run::

    target = pos_target("square", options)   # checks options, starts nothing
    target.start(run, procs)                 # spawn or start (may return before it answers)
    target.ready()                           # wait until it answers
    target.seed(world, stock)                # catalogue, stores, opening stock
    target.connector_env()                   # the contract's variables for the connector
    target.anchor(clock)                     # simulated t = 0 at clock.wall_origin
    target.fault(spec), target.stock_read(stores)(client), ...   # while the traffic runs
    target.collect(run_dir, clock=…, stores=…)                   # end state → run tables
    target.stop()                            # also on errors and Ctrl-C
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import httpx

    from domain.clock import RunClock
    from tillbench.live.erp_events import ErpEvent
    from tillbench.live.mocks import Credentials
    from tillbench.live.processes import ProcessSet

__all__ = [
    "ErpTarget",
    "EventApply",
    "Opening",
    "PosTarget",
    "PriceRead",
    "StockLevels",
    "StockRead",
    "Target",
    "TargetOptions",
    "TargetRun",
]

StockLevels = dict[tuple[str, str], float]
"""Units on hand per (store id, SKU)."""
StockRead = Callable[["httpx.AsyncClient"], Awaitable[StockLevels | None]]
"""Reads a system's stock through its public API (the sampler's client, no auth of its
own: each read sends its credentials); None when it cannot be read right now."""
PriceRead = Callable[["httpx.AsyncClient"], Awaitable[dict[str, int] | None]]
"""Reads the POS catalogue's unit price per SKU in minor units; None when it cannot."""
EventApply = Callable[["ErpEvent"], Awaitable[None]]
"""Makes an ERP-side event (price change, new item, delivery) through the ERP's API."""
Opening = list[tuple[str, str, int]]
"""(store id, SKU, units) of the opening stock."""


def _quiet(_message: str) -> None:
    return None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TargetOptions:
    """What the command line says about the targets; checked when a target is made."""

    db_url: str | None = None
    """``--db``: a PostgreSQL URL for the mocks (default: SQLite files in the run directory)."""
    erp_db_url: str | None = None
    """``--erp-db``: a PostgreSQL URL for a real ERP's database."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TargetRun:
    """The run a target serves."""

    scenario: Any
    run_dir: Path
    speed: float
    """Simulated seconds per wall second."""
    credentials: Credentials
    """The bearer tokens a target the harness serves itself (a mock) accepts: the
    connector's and the harness's own."""
    seed: int | None = None
    """Overrides the scenario's seed."""
    progress: Callable[[str], None] = _quiet
    """Where a slow start says what it is doing."""


class Target(Protocol):
    """What a live run does with either side (module docstring)."""

    name: str
    """The name ``--pos`` / ``--erp`` and ``TILLBENCH_*_KIND`` use, e.g. ``square``."""

    @property
    def url(self) -> str:
        """Where the connector finds it (the contract's ``TILLBENCH_*_URL``)."""
        ...

    @property
    def database(self) -> str:
        """Where it keeps its state, for ``run.json`` (no password)."""
        ...

    def start(self, run: TargetRun, procs: ProcessSet) -> None:
        """Start it for ``run`` (child processes in ``procs``); may return before it answers."""
        ...

    def ready(self) -> None:
        """Wait until it answers; `HarnessError` naming its log if it does not."""
        ...

    def seed(self, world: Any, stock: Opening) -> dict[str, int]:
        """Load the simulator's ``world`` and opening ``stock``; counts of what was loaded
        (a target that loads its master data itself at start returns ``{}``)."""
        ...

    def connector_env(self) -> dict[str, str]:
        """The contract's variables of this side (``TILLBENCH_POS_*`` or ``TILLBENCH_ERP_*``)."""
        ...

    def anchor(self, clock: RunClock) -> None:
        """Make its simulated time follow ``clock`` (a no-op for a real system)."""
        ...

    async def fault(self, spec: dict[str, Any]) -> tuple[float, float]:
        """Start a fault now (``POST /admin/faults`` body, ``for`` in wall seconds); the wall
        window it covers. Only called when the target takes faults."""
        ...

    def stock_read(self, stores: list[str]) -> StockRead:
        """The sampler's read of its stock at ``stores``."""
        ...

    def collect(self, run_dir: Path, *, clock: RunClock, stores: list[str]) -> dict[str, int]:
        """Write its end state (and journal, if it keeps one) into ``run_dir``; row counts."""
        ...

    def describe(self) -> dict[str, Any] | None:
        """What ``run.json`` records about it beyond name, URL and database (None: nothing)."""
        ...

    def stop(self) -> None:
        """Stop what `start` started that ``procs`` does not stop; safe to call twice."""
        ...


class PosTarget(Target, Protocol):
    """The POS side: it takes the driver's transactions and delivers webhooks."""

    @property
    def driver_url(self) -> str:
        """Base URL of the engine's ingestion door (``/driver/v1/transactions``)."""
        ...

    @property
    def driver_token(self) -> str:
        """The bearer token of that door."""
        ...

    def subscribe(self, notification_url: str) -> str:
        """Create the connector's one webhook subscription; returns its signature key."""
        ...

    def price_read(self) -> PriceRead | None:
        """The sampler's read of catalogue prices (ERP → POS price sync); None: not followed."""
        ...


class ErpTarget(Target, Protocol):
    """The ERP side: where the connector posts documents and stock moves."""

    events_skipped: str | None
    """Why ERP-side scenario events cannot be made here (None: they can)."""
    faults_skipped: str | None
    """Why the scenario's ERP faults cannot be injected here (None: they can)."""

    def workers(self, asked: int | None) -> tuple[int | None, str | None]:
        """The connector's concurrent ERP writers for ``asked`` (``--workers``), and a note
        for ``run.json`` when the target chose for the user."""
        ...

    def events(self, *, on_applied: Callable[[ErpEvent, float], None]) -> EventApply | None:
        """Makes ERP-side events through the ERP's API, calling ``on_applied(event, wall)``
        after each; None when `events_skipped`."""
        ...

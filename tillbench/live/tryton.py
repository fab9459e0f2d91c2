"""A real Tryton ERP behind the connector of a live run (``run_live(..., erp="tryton")``;
the run sees it as the target `tillbench.live.targets.tryton.TrytonErp`).

Thin wiring over `erps.tryton`: `start_tryton` gets a database for the scenario
(initialised once per master-data spec and cached; the run's own copy lives under
``RUN/erp/`` on SQLite, or in a database of its own on PostgreSQL), starts ``trytond`` on it
and returns a `TrytonSide`, the one object a run needs of its ERP:

- ``connector_env()`` — the contract's ERP variables for the connector;
- ``stock_reader(stores)`` — the sampler's ERP stock read;
- ``collector(run_dir, …)`` — writes the ERP's end state into the run tables;
- ``describe()`` — what ``run.json`` records;
- ``stop()`` — closes the harness's session and stops ``trytond`` (the caller's exit stack
  calls it, also on errors and Ctrl-C).

`master_data` turns the scenario's world (the simulator's) into the spec of Tryton's master
data (`erps.tryton.master_spec`; `erps` does not import the simulator). The harness reads
Tryton with its own `erps.tryton.TrytonReader` (its own login), never through the
connector's client.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.clock import RunClock
from domain.rundir import write_table
from tillbench.live.errors import HarnessError

if TYPE_CHECKING:
    from erps.tryton import TrytonReader, TrytonServer

__all__ = [
    "ERP_SIDE_EVENTS_NOTE",
    "NOT_APPLICABLE_WHY",
    "TRYTON_KIND",
    "StockReader",
    "TrytonSide",
    "master_data",
    "start_tryton",
]

StockReader = Callable[[], Awaitable[dict[tuple[str, str], float] | None]]
"""Reads Tryton's stock per (store, SKU); None when Tryton cannot be read right now."""

TRYTON_KIND = "tryton-8.2"
ERP_SIDE_EVENTS_NOTE = (
    "ERP-side scenario events (price changes, new items, deliveries) are not run against "
    "Tryton: switched off for this run"
)
NOT_APPLICABLE_WHY = (
    "a fault of the mock ERP cannot be injected into a real ERP: skipped (POS, store and "
    "connector faults still apply)"
)


@dataclasses.dataclass(slots=True)
class TrytonSide:
    """The running Tryton of a run: where it answers, how to log in, what it runs on."""

    url: str
    """The JSON-RPC database URL, ``http://127.0.0.1:PORT/DBNAME/``."""
    user: str
    password: str
    company_id: int
    database_kind: str
    """``sqlite`` or ``postgresql``"""
    database: str
    """The SQLite file's directory, or the PostgreSQL database name."""
    cache_hit: bool
    log_path: Path
    server: TrytonServer | None = dataclasses.field(default=None, repr=False)
    """The trytond `start_tryton` started (None when the server is someone else's)."""
    _reader: TrytonReader | None = dataclasses.field(default=None, init=False, repr=False)

    def connector_env(self) -> dict[str, str]:
        """The contract's ERP variables for a Tryton (connectors/CONTRACT.md)."""
        return {
            "TILLBENCH_ERP_KIND": "tryton",
            "TILLBENCH_ERP_URL": self.url,
            "TILLBENCH_ERP_TOKEN": f"{self.user}:{self.password}",
            "TILLBENCH_ERP_COMPANY": str(self.company_id),
        }

    def describe(self) -> dict[str, Any]:
        """What ``run.json`` records about the ERP (no password)."""
        return {
            "kind": TRYTON_KIND,
            "url": self.url,
            "database_kind": self.database_kind,
            "database": self.database,
            "cache_hit": self.cache_hit,
            "company_id": self.company_id,
            "log": str(self.log_path),
        }

    def reader(self) -> TrytonReader:
        """The harness's own `TrytonReader` (its own session), made on first use."""
        if self._reader is None:
            from erps.tryton import TrytonClient, TrytonReader

            client = TrytonClient(self.url, user=self.user, password=self.password)
            self._reader = TrytonReader(client)
        return self._reader

    def stock_reader(self, stores: list[str]) -> StockReader:
        """The sampler's ERP stock read, in a thread; None on any Tryton error."""
        import httpx

        from erps.errors import ErpError

        reader = self.reader()

        async def read() -> dict[tuple[str, str], float] | None:
            try:
                found = await asyncio.to_thread(reader.stock, stores)
            except (ErpError, httpx.HTTPError, OSError):
                return None
            return {(str(store), str(sku)): float(qty) for (store, sku), qty in found.items()}

        return read

    def collector(
        self, run_dir: Path, *, clock: RunClock, exponent: int, currency: str | None
    ) -> Callable[[], dict[str, int]]:
        """Writes the ERP tables from Tryton's end state when called; their row counts."""

        def collect() -> dict[str, int]:
            from erps.tryton import erp_tables

            tables = erp_tables(self.reader(), clock=clock, exponent=exponent, currency=currency)
            for name, rows in tables.items():
                write_table(run_dir, name, rows)
            return {name: len(rows) for name, rows in tables.items()}

        return collect

    def stop(self) -> None:
        """Close the harness's session and stop the trytond started for the run."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self.server is not None:
            self.server.stop()
            self.server = None


def master_data(scenario: Any, *, seed: int | None = None) -> dict[str, Any]:
    """Tryton's master-data spec of ``scenario``'s world (``seed`` overrides the scenario's):
    the simulator's catalogue, stores, tax classes, tenders and opening stock, through
    `erps.tryton.master_spec`; deterministic, so its hash keys the database cache."""
    import datetime as dt
    from decimal import Decimal

    from erps.tryton import SpecProduct, master_spec
    from simulator import build_world
    from simulator.engine import RunState

    world = build_world(scenario, seed=seed)
    p = world.params
    cat = world.catalog
    scale = Decimal(1).scaleb(-p.exponent)
    initial = RunState.create(world).stock.initial.reshape(world.stores, len(cat))
    return master_spec(
        scenario=p.name,
        seed=p.seed,
        currency=p.currency,
        exponent=p.exponent,
        start=p.start.date(),
        end=(p.start + dt.timedelta(seconds=p.duration_s)).date(),
        taxes=[(tc.name, tc.rate) for tc in p.tax_classes],
        products=[
            SpecProduct(
                code=sku,
                name=name,
                tax_class=cat.tax_class_names[tax_class],
                list_price=Decimal(int(price)) * scale,
            )
            for sku, name, price, tax_class in zip(
                cat.sku_ids,
                cat.names,
                cat.price_minor.tolist(),
                cat.tax_class.tolist(),
                strict=True,
            )
        ],
        stores=list(zip(world.store_ids, world.store_names, strict=True)),
        stock=[
            (store_id, sku, int(units))
            for store_id, row in zip(world.store_ids, initial.tolist(), strict=True)
            for sku, units in zip(cat.sku_ids, row, strict=True)
        ],
        tenders=[name for name, _share in p.pay_mix],
    )


def _run_database_url(erp_db_url: str, run_id: str) -> str:
    """The URL with a database of the run's own when the user named none."""
    import sqlalchemy as sa

    url = sa.engine.make_url(erp_db_url)
    if url.database:
        return erp_db_url
    name = "tillbench_" + re.sub(r"[^a-z0-9]+", "_", run_id.lower()).strip("_")[:40]
    return url.set(database=name).render_as_string(hide_password=False)


def start_tryton(
    stack: contextlib.ExitStack,
    *,
    scenario: Any,
    seed: int | None,
    run_dir: Path,
    erp_db_url: str | None,
    progress: Callable[[str], None],
) -> TrytonSide:
    """A Tryton server for ``scenario`` (stopped by ``stack``); `HarnessError` if it fails."""
    from erps.errors import ErpError
    from erps.tryton import ensure_env, init_database, start_server

    workdir = run_dir / "erp"
    db_url = None if erp_db_url is None else _run_database_url(erp_db_url, run_dir.name)
    try:
        ensure_env(progress=progress)
        progress("building Tryton's master data from the scenario's world")
        spec = master_data(scenario, seed=seed)
        database = init_database(spec, workdir=workdir, db_url=db_url, progress=progress)
        progress("starting trytond")
        server = start_server(database, workdir=workdir, processes=1)
    except ErpError as exc:
        raise HarnessError(f"Tryton could not be started: {exc}") from None
    side = TrytonSide(
        url=server.url,
        user=server.user,
        password=server.password,
        company_id=int(database.company),
        database_kind=database.backend,
        database=str(workdir) if database.backend == "sqlite" else database.name,
        cache_hit=bool(database.cache_hit),
        log_path=Path(server.log_path),
        server=server,
    )
    stack.callback(side.stop)
    return side

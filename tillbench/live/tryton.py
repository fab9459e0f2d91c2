"""A real Tryton ERP behind the connector of a live run (``run_live(..., erp="tryton")``).

`start_tryton` gets a database for the scenario from `erps.tryton` (initialised
once per master-data spec and cached; the run's own copy lives under ``RUN/erp/`` on
SQLite, or in a database of its own on PostgreSQL) and starts ``trytond`` on it; the
server is stopped when the caller's exit stack unwinds, also on errors and Ctrl-C. The
harness talks to Tryton through its own `TrytonRpc` login (the sampler's stock reads, the
collector), never the connector's session.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tillbench.live.errors import HarnessError, UsageError
from tillbench.live.sampler import ErpStockReader

__all__ = [
    "ERP_KINDS",
    "ERP_SIDE_EVENTS_NOTE",
    "NOT_APPLICABLE_WHY",
    "TRYTON_KIND",
    "TrytonSide",
    "check_erp",
    "start_tryton",
    "stock_reader",
]

ERP_KINDS = ("mock", "tryton")
TRYTON_KIND = "tryton-8.2"
ERP_SIDE_EVENTS_NOTE = (
    "ERP-side scenario events (price changes, new items, deliveries) are not run against "
    "Tryton: switched off for this run"
)
NOT_APPLICABLE_WHY = (
    "a fault of the mock ERP cannot be injected into a real ERP: skipped (POS, store and "
    "connector faults still apply)"
)


def check_erp(erp: str, erp_db_url: str | None) -> str:
    """``--erp`` and ``--erp-db`` checked; returns the ERP kind (``mock`` or ``tryton``)."""
    kind = erp.strip().lower()
    if kind not in ERP_KINDS:
        raise UsageError(f"--erp: expected one of {', '.join(ERP_KINDS)}, got {erp!r}")
    if erp_db_url is not None:
        if kind != "tryton":
            raise UsageError(
                "--erp-db is the database of a real ERP: use it with --erp tryton (the mock "
                "ERP's database is --db)"
            )
        if not erp_db_url.startswith(("postgresql://", "postgres://")):
            raise UsageError(
                f"--erp-db: expected a PostgreSQL URL like postgresql://user:pw@127.0.0.1/db, "
                f"got {erp_db_url!r}; leave it out for SQLite under the run directory"
            )
    return kind


@dataclasses.dataclass(frozen=True, slots=True)
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

    def connect(self) -> tuple[Any, Any]:
        """The harness's own `TrytonRpc` (its own session) and a `TrytonPos` over it."""
        from connectors.erp.tryton import TrytonRpc
        from connectors.erp.tryton.harness_reads import HarnessReads as TrytonPos

        rpc = TrytonRpc(self.url, user=self.user, password=self.password)
        return rpc, TrytonPos(rpc)


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
    from erps.tryton import ensure_env, init_database, master_data, start_server

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
    stack.callback(server.stop)
    return TrytonSide(
        url=server.url,
        user=server.user,
        password=server.password,
        company_id=int(database.company),
        database_kind=database.backend,
        database=str(workdir) if database.backend == "sqlite" else database.name,
        cache_hit=bool(database.cache_hit),
        log_path=Path(server.log_path),
    )


def stock_reader(pos: Any, stores: list[str]) -> ErpStockReader:
    """The sampler's ERP stock read: `TrytonPos.stock` in a thread; None on any Tryton error."""
    import httpx

    from connectors.erp.tryton import TrytonError

    async def read() -> dict[tuple[str, str], float] | None:
        try:
            found = await asyncio.to_thread(pos.stock, stores)
        except (TrytonError, httpx.HTTPError, OSError):
            return None
        return {(str(store), str(sku)): float(qty) for (store, sku), qty in found.items()}

    return read

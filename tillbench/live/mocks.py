"""Start the mock POS and mock ERP under uvicorn in child processes and seed them.

With a real ERP behind the connector (``erp=False``) only the mock POS is started and
`MockServers.erp_base` is empty. Each mock gets a free loopback port, a SQLite file in the
run directory (or ``db_url``: PostgreSQL shared by both, tables are prefixed per mock), two
API credentials (the connector's and the harness's own, so the journals tell the
connector's calls from the sampler's). Faults are activated later, on the run's clock, by
the driver.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import sys
from pathlib import Path
from typing import Any

import httpx

from mocks.erp import dialects as erp_dialects
from mocks.pos import dialects as pos_dialects
from tillbench.live.errors import HarnessError, UsageError
from tillbench.live.ports import free_ports
from tillbench.live.processes import ManagedProcess, ProcessSet, wait_healthy

__all__ = [
    "ADMIN_TOKEN",
    "Credentials",
    "MockLaunch",
    "MockServers",
    "erp_settings_for",
    "launch_mocks",
    "start_mocks",
]

ADMIN_TOKEN = "tillbench-admin"
STARTUP_TIMEOUT_S = 30.0
_SERVE = (
    "import json, sys; from mocks.core import serve; "
    "serve(sys.argv[1], port=int(sys.argv[2]), settings=json.loads(sys.argv[3]))"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Credentials:
    """Bearer tokens: the connector's and the harness's (sampler, collector, ERP events)."""

    connector: str
    harness: str

    @classmethod
    def generate(cls) -> Credentials:
        return cls(connector=f"conn-{secrets.token_hex(8)}", harness=f"tb-{secrets.token_hex(8)}")

    def api_tokens(self) -> dict[str, str]:
        return {self.connector: "connector", self.harness: "harness"}


@dataclasses.dataclass(frozen=True, slots=True)
class MockServers:
    pos_url: str
    erp_base: str
    """``http://127.0.0.1:PORT`` of the ERP; its API root is ``erp_url``. Empty when the
    ERP is not a mock (see `has_erp`)."""
    company_id: str
    credentials: Credentials
    pos_db: str
    erp_db: str

    @property
    def has_erp(self) -> bool:
        """Whether the mock ERP runs (False: a real ERP sits behind the connector)."""
        return bool(self.erp_base)

    @property
    def erp_url(self) -> str:
        return f"{self.erp_base}/api/v2.0"

    @property
    def erp_company_url(self) -> str:
        return f"{self.erp_url}/companies({self.company_id})"

    @property
    def erp_inventory_url(self) -> str:
        return (
            f"{self.erp_base}/api/tillbench/inventory/v1.0/companies({self.company_id})"
            "/locationInventories"
        )


def erp_settings_for(scenario: Any) -> dict[str, Any]:
    """The mock ERP settings for the scenario's `erp` section (durations in seconds)."""
    erp = scenario.erp
    return {
        "concurrency": erp.concurrency,
        "queue": erp.queue,
        "window": {"requests": erp.window.requests, "per": erp.window.per.total_seconds()},
        "latency": {
            "median": erp.latency.median.total_seconds(),
            "p99": erp.latency.p99.total_seconds(),
        },
        "load_factor": erp.latency.load_factor,
        "duplicates": erp.duplicates,
        **_batch_limit(erp.batch.max_operations),
    }


def _batch_limit(max_operations: int) -> dict[str, Any]:
    """The ``$batch`` operation limit under the name this version of the mock ERP takes."""
    from mocks.erp.engine import ErpSettings

    if "batch" in ErpSettings.model_fields:
        return {"batch": {"max_operations": max_operations}}
    return {"max_batch_operations": max_operations}


def _db_urls(run_dir: Path, db_url: str | None) -> tuple[str, str]:
    """SQLite files in the run directory, or one PostgreSQL schema per mock and run (the
    mocks share table names such as ``mock_journal``, so they must not share a schema)."""
    if db_url:
        return _pg_schema_url(db_url, run_dir.name, "pos"), _pg_schema_url(
            db_url, run_dir.name, "erp"
        )
    (run_dir / "pos").mkdir(exist_ok=True)
    (run_dir / "erp").mkdir(exist_ok=True)
    return (
        f"sqlite:///{(run_dir / 'pos' / 'pos.sqlite3').resolve()}",
        f"sqlite:///{(run_dir / 'erp' / 'erp.sqlite3').resolve()}",
    )


def _pg_schema_url(db_url: str, run_id: str, mock: str) -> str:
    """Create schema ``tb_<run>_<mock>`` and return ``db_url`` with it as search path."""
    import sqlalchemy as sa

    try:
        url = sa.engine.make_url(db_url)
    except sa.exc.ArgumentError:
        raise UsageError(
            f"--db: not a database URL like postgresql://user:pw@host/db, got {db_url!r}"
        ) from None
    if url.get_backend_name() != "postgresql":
        raise UsageError(f"--db: only postgresql:// URLs are supported, got {db_url!r}")
    schema = "tb_" + re.sub(r"[^a-z0-9]+", "_", run_id.lower()).strip("_")[:40] + f"_{mock}"
    engine = sa.create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    except sa.exc.OperationalError as exc:
        raise UsageError(
            f"--db: cannot reach {url.render_as_string(hide_password=True)} "
            f"({str(exc.orig).strip().splitlines()[0] if exc.orig else exc}); start PostgreSQL "
            "or drop --db to use SQLite files"
        ) from None
    finally:
        engine.dispose()
    with_path = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return with_path.render_as_string(hide_password=False)


@dataclasses.dataclass(slots=True)
class MockLaunch:
    """Mock processes spawned but not yet known healthy (start-up overlaps other work)."""

    procs: list[tuple[ManagedProcess, int]]
    credentials: Credentials
    pos_db: str
    erp_db: str

    def ready(self) -> MockServers:
        """Wait until both answer ``/admin/health``; `HarnessError` with the log if not."""
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        for proc, port in self.procs:
            url = f"http://127.0.0.1:{port}/admin/health"
            if not wait_healthy(proc, url, timeout=STARTUP_TIMEOUT_S, headers=headers):
                raise HarnessError(
                    f"{proc.name} did not answer {url} within {STARTUP_TIMEOUT_S:.0f} s; "
                    f"log {proc.log_path}:\n{proc.log_tail()}"
                )
        (_, pos_port), *erp = self.procs
        erp_base = f"http://127.0.0.1:{erp[0][1]}" if erp else ""
        return MockServers(
            pos_url=f"http://127.0.0.1:{pos_port}",
            erp_base=erp_base,
            company_id=_company_id(erp_base, self.credentials.harness) if erp else "",
            credentials=self.credentials,
            pos_db=self.pos_db,
            erp_db=self.erp_db,
        )


def launch_mocks(
    procs: ProcessSet,
    *,
    scenario: Any,
    run_dir: Path,
    speed: float,
    db_url: str | None = None,
    credentials: Credentials | None = None,
    erp: bool = True,
    pos_dialect: str = pos_dialects.DEFAULT_DIALECT,
    erp_dialect: str = erp_dialects.DEFAULT_DIALECT,
) -> MockLaunch:
    """Spawn both mocks, or only the POS when ``erp`` is False (in ``procs``); call
    `MockLaunch.ready` to wait for them. ``pos_dialect`` and ``erp_dialect`` name the
    vendor APIs they speak (``mocks.pos.DIALECTS``, ``mocks.erp.DIALECTS``)."""
    try:
        pos_factory = pos_dialects.app_factory(pos_dialect)
        erp_factory = erp_dialects.app_factory(erp_dialect)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    creds = credentials or Credentials.generate()
    pos_db, erp_db = _db_urls(run_dir, db_url)
    if not erp:
        erp_db = ""
    pos_port, erp_port = free_ports(2)
    common = {
        "admin_token": ADMIN_TOKEN,
        "api_tokens": creds.api_tokens(),
        "seed": scenario.seed,
        "start": scenario.start.isoformat(),
        "speed": speed,
    }
    pos_settings = {**common, "db_url": pos_db, "currency": scenario.currency}
    erp_settings = {**common, "db_url": erp_db, **erp_settings_for(scenario)}
    logs = run_dir / "logs"
    started = []
    servers = [("mock-pos", pos_factory, pos_port, pos_settings)]
    if erp:
        servers.append(("mock-erp", erp_factory, erp_port, erp_settings))
    for name, factory, port, settings in servers:
        argv = [sys.executable, "-c", _SERVE, factory, str(port), json.dumps(settings)]
        started.append((procs.start(name, argv, log=logs / f"{name}.log"), port))
    return MockLaunch(started, creds, pos_db, erp_db)


def start_mocks(
    procs: ProcessSet,
    *,
    scenario: Any,
    run_dir: Path,
    speed: float,
    db_url: str | None = None,
    credentials: Credentials | None = None,
) -> MockServers:
    """Start both mocks (in ``procs``) and wait until they answer ``/admin/health``."""
    return launch_mocks(
        procs,
        scenario=scenario,
        run_dir=run_dir,
        speed=speed,
        db_url=db_url,
        credentials=credentials,
    ).ready()


def _company_id(erp_base: str, token: str) -> str:
    response = httpx.get(
        f"{erp_base}/api/v2.0/companies", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    response.raise_for_status()
    companies = response.json()["value"]
    if not companies:
        raise HarnessError(f"the ERP at {erp_base} has no company")
    return str(companies[0]["id"])

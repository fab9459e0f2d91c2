"""The mock POS and ERP of a run: child processes under uvicorn, their credentials and
databases, and the admin doors every mock shares.

`spawn_mock` starts one dialect app of `mocks` (a ``module:function`` factory from
``mocks/pos/dialects.py`` or ``mocks/erp/dialects.py``) on a free loopback port, with a
SQLite file in the run directory (or ``db_url``: PostgreSQL, one schema per mock and run,
since the mocks share table names) and two API credentials (the connector's and the
harness's own, so the journals tell the connector's calls from the sampler's). The
`MockProcess` it returns waits for ``/admin/health``, anchors the mock on the run's clock
(``PUT /admin/clock``), starts faults (``POST /admin/faults``) and downloads the request
journal: the engine-level doors, the same for every dialect. The targets of
`tillbench.live.targets` are built on it.

`launch_mocks` starts the Square POS and Business Central ERP together and hands back
`MockServers`, their addresses as the connector tests and ``tillbench load`` use them.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from domain.clock import RunClock
from mocks.erp import dialects as erp_dialects
from mocks.pos import dialects as pos_dialects
from tillbench.live.errors import HarnessError, UsageError
from tillbench.live.ports import free_ports
from tillbench.live.processes import ManagedProcess, ProcessSet, wait_healthy

if TYPE_CHECKING:
    from tillbench.live.targets.bc import BcErp
    from tillbench.live.targets.square import SquarePos

__all__ = [
    "ADMIN_TOKEN",
    "Credentials",
    "MockLaunch",
    "MockProcess",
    "MockServers",
    "erp_settings_for",
    "hide_password",
    "launch_mocks",
    "mock_db_url",
    "mock_settings",
    "spawn_mock",
]

ADMIN_TOKEN = "tillbench-admin"
STARTUP_TIMEOUT_S = 30.0
_SETTINGS_VAR = "TILLBENCH_MOCK_SETTINGS"
"""The mock's settings (tokens, database URL) travel in its environment, which only its
owner can read, not on its command line, which every user of the machine can (``ps``)."""
_SERVE = (
    "import json, os, sys; from mocks.core import serve; "
    "serve(sys.argv[1], port=int(sys.argv[2]), "
    f"settings=json.loads(os.environ[{_SETTINGS_VAR!r}]))"
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
        "posting": erp.posting,
        **_batch_limit(erp.batch.max_operations),
    }


def _batch_limit(max_operations: int) -> dict[str, Any]:
    """The ``$batch`` operation limit under the name this version of the mock ERP takes."""
    from mocks.erp.engine import ErpSettings

    if "batch" in ErpSettings.model_fields:
        return {"batch": {"max_operations": max_operations}}
    return {"max_batch_operations": max_operations}


def mock_db_url(run_dir: Path, db_url: str | None, side: str) -> str:
    """The database of the ``side`` mock (``pos`` or ``erp``): a SQLite file in the run
    directory, or a schema of its own on the PostgreSQL at ``db_url``."""
    if db_url:
        return _pg_schema_url(db_url, run_dir.name, side)
    (run_dir / side).mkdir(exist_ok=True)
    return f"sqlite:///{(run_dir / side / f'{side}.sqlite3').resolve()}"


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


def hide_password(url: str) -> str:
    """``url`` with its password as ``***``."""
    import sqlalchemy as sa

    return str(sa.engine.make_url(url).render_as_string(hide_password=True))


@dataclasses.dataclass(slots=True)
class MockProcess:
    """One mock server of the run: its process, port and database, and the admin doors."""

    proc: ManagedProcess
    port: int
    db: str

    @property
    def name(self) -> str:
        return self.proc.name

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Wait until it answers ``/admin/health``; `HarnessError` with its log if not."""
        url = f"{self.base}/admin/health"
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        if not wait_healthy(self.proc, url, timeout=STARTUP_TIMEOUT_S, headers=headers):
            raise HarnessError(
                f"{self.name} did not answer {url} within {STARTUP_TIMEOUT_S:.0f} s; "
                f"log {self.proc.log_path}:\n{self.proc.log_tail()}"
            )

    def anchor(self, clock: RunClock) -> None:
        """``PUT /admin/clock``: the mock's simulated time follows ``clock`` (with its start)."""
        assert clock.start is not None, "the run's clock carries the scenario start"
        body = {
            "start": clock.start.isoformat(),
            "speed": clock.speed,
            "wall_origin": clock.wall_origin,
        }
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        response = httpx.put(f"{self.base}/admin/clock", json=body, headers=headers, timeout=10)
        response.raise_for_status()

    async def fault(self, spec: dict[str, Any]) -> tuple[float, float]:
        """``POST /admin/faults`` now; the wall window the mock says the fault covers."""
        async with httpx.AsyncClient(
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10
        ) as client:
            response = await client.post(f"{self.base}/admin/faults", json=spec)
            response.raise_for_status()
            body = response.json()
        return float(body["start"]), float(body["end"])

    def fetch_journal(self, directory: Path) -> None:
        """The mock's whole request journal as ``directory/journal.parquet`` (building it takes
        the mock a while: fetch it while the rest is collected)."""
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        response = httpx.get(f"{self.base}/admin/journal.parquet", headers=headers, timeout=120)
        response.raise_for_status()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "journal.parquet").write_bytes(response.content)


def spawn_mock(
    procs: ProcessSet,
    *,
    side: str,
    factory: str,
    run_dir: Path,
    db: str,
    settings: dict[str, Any],
) -> MockProcess:
    """Start the app ``factory`` as ``mock-<side>`` (in ``procs``) on a free port with its
    database ``db``; returns before it answers (call `MockProcess.wait_ready`)."""
    (port,) = free_ports(1)
    name = f"mock-{side}"
    argv = [
        sys.executable,
        "-c",
        _SERVE,
        factory,
        str(port),
    ]
    env = {_SETTINGS_VAR: json.dumps({**settings, "db_url": db})}
    proc = procs.start(name, argv, log=run_dir / "logs" / f"{name}.log", env=env)
    return MockProcess(proc=proc, port=port, db=db)


def mock_settings(scenario: Any, *, speed: float, credentials: Credentials) -> dict[str, Any]:
    """The settings every mock takes: admin and API tokens, seed, the scenario's clock."""
    return {
        "admin_token": ADMIN_TOKEN,
        "api_tokens": credentials.api_tokens(),
        "seed": scenario.seed,
        "start": scenario.start.isoformat(),
        "speed": speed,
    }


@dataclasses.dataclass(frozen=True, slots=True)
class MockServers:
    """Where the mock Square POS and Business Central ERP answer, with which credentials."""

    pos_url: str
    erp_base: str
    """``http://127.0.0.1:PORT`` of the ERP; its API root is ``erp_url``. Empty when the
    ERP is not a mock (see `has_erp`)."""
    company_id: str
    credentials: Credentials
    pos_db: str
    erp_db: str
    pos: SquarePos | None = dataclasses.field(default=None, repr=False, compare=False)
    """The POS as a target of the run (its reads and collection)."""
    erp: BcErp | None = dataclasses.field(default=None, repr=False, compare=False)
    """The ERP as a target of the run; None without a mock ERP."""

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


@dataclasses.dataclass(slots=True)
class MockLaunch:
    """Mocks spawned but not yet known healthy (start-up overlaps other work)."""

    pos: SquarePos
    erp: BcErp | None
    credentials: Credentials

    def ready(self) -> MockServers:
        """Wait until both answer ``/admin/health``; `HarnessError` with the log if not."""
        self.pos.ready()
        if self.erp is not None:
            self.erp.ready()
        return MockServers(
            pos_url=self.pos.url,
            erp_base=self.erp.base if self.erp is not None else "",
            company_id=self.erp.company_id if self.erp is not None else "",
            credentials=self.credentials,
            pos_db=self.pos.server.db,
            erp_db=self.erp.server.db if self.erp is not None else "",
            pos=self.pos,
            erp=self.erp,
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
    """Spawn the mock POS and ERP, or only the POS when ``erp`` is False (in ``procs``);
    call `MockLaunch.ready` to wait for them. ``pos_dialect`` and ``erp_dialect`` name the
    targets (``tillbench.live.targets``): `MockServers` speaks of a Square POS and a
    Business Central ERP, so those are the ones that fit."""
    from tillbench.live.targets import TargetOptions, TargetRun, erp_target, pos_target
    from tillbench.live.targets.bc import BcErp
    from tillbench.live.targets.square import SquarePos

    creds = credentials or Credentials.generate()
    run = TargetRun(scenario=scenario, run_dir=run_dir, speed=speed, credentials=creds)
    options = TargetOptions(db_url=db_url)
    pos = pos_target(pos_dialect, options)
    erp_side = erp_target(erp_dialect, options) if erp else None
    if not isinstance(pos, SquarePos) or not (erp_side is None or isinstance(erp_side, BcErp)):
        raise UsageError(
            f"launch_mocks: the mocks of a Square POS and a Business Central ERP; got "
            f"{pos_dialect!r} and {erp_dialect!r} (start other targets with their own start())"
        )
    pos.start(run, procs)
    if erp_side is not None:
        erp_side.start(run, procs)
    return MockLaunch(pos, erp_side, creds)

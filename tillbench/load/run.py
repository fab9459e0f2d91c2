"""`run_load`: ``tillbench load`` — mocks and connector as for ``run``, Locust headless on top.

Shapes ``day|ramp|spike|soak`` drive the store registers (``loadtests/pos_registers.py``)
against the POS while the connector carries the sales to the ERP; afterwards the POS
acceptances are joined with the ERP commits (`e2e`). ``saturate`` posts invoices straight
to the ERP (``loadtests/erp_direct.py``, connector bypassed) and raises the rate until an
SLO breaks (`saturate.search`). With ``host`` no mock or connector is started: Locust
targets that server (tokens from the ``TILLBENCH_*`` environment, see
``loadtests/load_env.py``).
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import httpx

from tillbench.live.connector import (
    ConnectorSpec,
    RunningConnector,
    base_url,
    connector_settings,
    listen_address,
    resolve_connector,
    webhook_url,
    write_env,
)
from tillbench.live.mocks import ADMIN_TOKEN, MockServers, launch_mocks
from tillbench.live.ports import free_ports
from tillbench.live.processes import ProcessSet, terminate_as_interrupt
from tillbench.live.subscription import create_subscription
from tillbench.load.e2e import accepted, end_to_end, erp_commits, fetch_journal
from tillbench.load.errors import LoadError
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.saturate import Saturation, Slo, search
from tillbench.load.seed import erp_catalog
from tillbench.load.steps import locust_step
from tillbench.runs import new_run_dir
from tillbench.verdicts import finish_run

__all__ = ["SHAPES", "LoadOptions", "LoadRun", "run_load", "saturation_json"]

SHAPES = ("day", "ramp", "spike", "soak", "saturate")
SETTLE_S = 30.0
"""Longest wait after the load for the connector to finish carrying sales to the ERP."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LoadOptions:
    """How to load: the shape, its rates (req/s) and, for ``saturate``, the search."""

    shape: str = "day"
    duration_s: float = 60.0
    rate: float = 20.0
    """Peak rate (day), start rate (ramp, saturate), base rate (spike), rate (soak)."""
    user_rate: float = 2.0
    """Requests per second each simulated user paces itself at."""
    step_rate: float = 10.0
    step_s: float = 10.0
    spike_rate: float = 100.0
    workers: int = 0
    factor: float = 1.5
    refine: int = 1
    max_rate: float = 5000.0
    slo: Slo = dataclasses.field(default_factory=Slo)

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise LoadError(f"--shape must be one of {', '.join(SHAPES)}, got {self.shape!r}")
        for name in ("duration_s", "rate", "user_rate", "step_s"):
            if not getattr(self, name) > 0:
                raise LoadError(f"{name} must be > 0, got {getattr(self, name)!r}")

    def env(self) -> dict[str, str]:
        return {
            "TILLBENCH_SHAPE": self.shape,
            "TILLBENCH_DURATION": str(self.duration_s),
            "TILLBENCH_RATE": str(self.rate),
            "TILLBENCH_USER_RATE": str(self.user_rate),
            "TILLBENCH_STEP_RATE": str(self.step_rate),
            "TILLBENCH_STEP_S": str(self.step_s),
            "TILLBENCH_SPIKE_RATE": str(self.spike_rate),
            "TILLBENCH_SPIKE_AT": str(self.duration_s / 3),
            "TILLBENCH_SPIKE_S": str(self.duration_s / 6),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class LoadRun:
    """A finished load run: where it wrote and what it measured."""

    run_dir: Path
    locust_returncode: int
    e2e: dict[str, Any] | None
    saturation: Saturation | None
    report: Path | None


def _scenario_file(scenario: Any, run_dir: Path) -> Path:
    import scenarios

    path = run_dir / "scenario.yaml"
    path.write_text(scenarios.dump(scenario))
    return path


def _seed_erp(servers: MockServers, scenario: Any, seed: int | None) -> None:
    from simulator import build_world

    response = httpx.post(
        f"{servers.erp_base}/admin/erp/catalog",
        json=erp_catalog(build_world(scenario, seed=seed)),
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=120,
    )
    if response.status_code >= 300:
        raise LoadError(f"seeding the mock ERP failed ({response.status_code}): {response.text}")


def _start_connector(
    procs: ProcessSet, spec: ConnectorSpec, servers: MockServers, scenario: Any, run_dir: Path
) -> RunningConnector:
    (listen_port,) = free_ports(1)
    hook_url = webhook_url(spec, listen_port)
    secret = create_subscription(
        servers.pos_url, token=servers.credentials.harness, notification_url=hook_url
    )
    conn_dir = run_dir / "connector"
    for sub in ("state", "logs"):
        (conn_dir / sub).mkdir(parents=True, exist_ok=True)
    env = {
        "TILLBENCH_RUN_ID": run_dir.name,
        "TILLBENCH_POS_URL": servers.pos_url,
        "TILLBENCH_POS_TOKEN": servers.credentials.connector,
        "TILLBENCH_ERP_URL": servers.erp_url,
        "TILLBENCH_ERP_COMPANY": servers.company_id,
        "TILLBENCH_ERP_TOKEN": servers.credentials.connector,
        "TILLBENCH_WEBHOOK_SECRET": secret,
        "TILLBENCH_WEBHOOK_URL": hook_url,
        "TILLBENCH_LISTEN": listen_address(spec, listen_port),
        "TILLBENCH_STATE_DIR": str((conn_dir / "state").resolve()),
        "TILLBENCH_LOG_DIR": str((conn_dir / "logs").resolve()),
        "TILLBENCH_SETTINGS": json.dumps(connector_settings(scenario, speed=scenario.speed)),
    }
    write_env(env, conn_dir)
    running = RunningConnector(
        procs,
        spec,
        env=env,
        log_dir=conn_dir / "logs",
        url=base_url(spec, listen_port),
        health_timeout_s=None,
    )
    running.start()
    return running


def _settle(servers: MockServers, accept_dir: Path) -> dict[str, Any]:
    """Wait (up to `SETTLE_S`) until every accepted sale is committed or none progresses."""
    accepts = accepted(accept_dir)
    deadline = time.monotonic() + SETTLE_S
    last = -1
    while True:
        rows = fetch_journal(servers.erp_base, admin_token=ADMIN_TOKEN, path_prefix="/api/v2.0")
        result = end_to_end(accepts, erp_commits(rows))
        if result.committed >= result.accepted or time.monotonic() > deadline:
            return result.summary()
        if result.committed == last:
            return result.summary()
        last = result.committed
        time.sleep(3.0)


def _locust_env(servers: MockServers, scenario_file: Path, seed: int | None) -> dict[str, str]:
    env = {
        "TILLBENCH_POS_URL": servers.pos_url,
        "TILLBENCH_ERP_URL": servers.erp_base,
        "TILLBENCH_ERP_COMPANY": servers.company_id,
        "TILLBENCH_POS_TOKEN": servers.credentials.harness,
        "TILLBENCH_ERP_TOKEN": servers.credentials.harness,
        "TILLBENCH_ADMIN_TOKEN": ADMIN_TOKEN,
        "TILLBENCH_SCENARIO": str(scenario_file),
        "TILLBENCH_SEED_ERP": "0",
    }
    if seed is not None:
        env["TILLBENCH_SEED"] = str(seed)
    return env


def run_load(
    scenario: Any,
    *,
    options: LoadOptions,
    out: Path,
    connector: ConnectorSpec | str | None = None,
    host: str | None = None,
    seed: int | None = None,
    speed: float | None = None,
) -> LoadRun:
    """Run ``scenario``'s load test; writes ``locust/`` and ``report.html`` in a new run dir."""
    run_dir = new_run_dir(out, scenario.name)
    locust_dir = run_dir / "locust"
    scenario_file = _scenario_file(scenario, run_dir)
    saturating = options.shape == "saturate"
    file = locustfile("erp_direct" if saturating else "pos_registers")
    meta: dict[str, Any] = {
        "run_id": run_dir.name,
        "scenario": scenario.name,
        "load": {**dataclasses.asdict(options), "host": host},
    }
    e2e: dict[str, Any] | None = None
    saturation: Saturation | None = None
    with terminate_as_interrupt(), ProcessSet() as procs:
        if host is None:
            run_speed = float(speed if speed is not None else scenario.speed)
            servers = launch_mocks(
                procs, scenario=scenario, run_dir=run_dir, speed=run_speed
            ).ready()
            _seed_erp(servers, scenario, seed)
            env = _locust_env(servers, scenario_file, seed)
            target = servers.erp_base if saturating else servers.pos_url
        else:
            env = {"TILLBENCH_SCENARIO": str(scenario_file)}
            target = host
        if saturating:
            saturation = search(
                locust_step(
                    file,
                    host=target,
                    out_dir=locust_dir,
                    settings=env,
                    request="erp:salesInvoices",
                    user_classes=("ErpPosting",),
                    step_s=options.step_s,
                    user_rate=options.user_rate,
                    workers=options.workers,
                ),
                slo=options.slo,
                start_rate=options.rate,
                factor=options.factor,
                max_rate=options.max_rate,
                refine=options.refine,
            )
            code = 0
        else:
            running = None
            if host is None:
                spec = (
                    connector
                    if isinstance(connector, ConnectorSpec)
                    else resolve_connector(connector, None)
                )
                running = _start_connector(procs, spec, servers, scenario, run_dir)
            env["TILLBENCH_ACCEPT_DIR"] = str(locust_dir / "accepted")
            result = run_locust(
                file,
                host=target,
                out_dir=locust_dir,
                settings={**env, **options.env()},
                workers=options.workers,
                timeout_s=options.duration_s * 3 + 120,
            )
            code = result.returncode
            if running is not None:
                e2e = _settle(servers, locust_dir / "accepted")
                running.stop()
    if saturation is not None:
        meta["saturation"] = saturation_json(saturation)
        (run_dir / "saturation.json").write_text(json.dumps(meta["saturation"], indent=2) + "\n")
    if e2e is not None:
        meta["e2e"] = e2e
        (locust_dir / "e2e.json").write_text(json.dumps(e2e, indent=2) + "\n")
    (run_dir / "run.json").write_text(json.dumps(meta, indent=2, default=str) + "\n")
    finished = finish_run(run_dir, verify=False)
    return LoadRun(
        run_dir=run_dir,
        locust_returncode=code,
        e2e=e2e,
        saturation=saturation,
        report=finished.report,
    )


def saturation_json(saturation: Saturation) -> dict[str, Any]:
    """The search's evidence as JSON: every step, the sustainable rate, whether it broke."""
    return {
        "sustainable_rps": saturation.sustainable_rps,
        "broke": saturation.broke,
        "steps": [dataclasses.asdict(step) for step in saturation.steps],
    }

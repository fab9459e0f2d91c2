"""The systems a load test runs against when tillbench starts them: mocks and connector.

`launch_stack` starts the mock POS and ERP at speed 1 (a load test runs in real time),
seeds both with the scenario's catalogue, stores and equal opening stock (`seed`), and
starts the connector under the contract of ``connectors/CONTRACT.md``, as ``run`` does.
The connector's cadence (retry backoff, batch interval) is the scenario's compressed by
``speed`` (default the scenario's), so a batch connector posts within a short load test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tillbench.live.connector import (
    ConnectorSpec,
    RunningConnector,
    connector_settings,
)
from tillbench.live.connector_env import prepare_connector_env
from tillbench.live.mocks import ADMIN_TOKEN, MockServers, launch_mocks
from tillbench.live.processes import ProcessSet
from tillbench.live.seed import (
    chunks_by_size,
    erp_catalog_chunks,
    minor_exponent,
)
from tillbench.load.errors import LoadError
from tillbench.load.seed import erp_catalog, pos_counts

__all__ = [
    "REALTIME_PATIENCE_S",
    "launch_stack",
    "locust_env",
    "patience",
    "seed_stack",
    "start_connector",
]


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 300:
        raise LoadError(f"{what} failed ({response.status_code}): {response.text[:500]}")


def seed_stack(servers: MockServers, scenario: Any, seed: int | None) -> None:
    """Seed the ERP (`erp_catalog`) and the POS (`pos_counts`) of ``scenario``, in requests
    below the mocks' body limit (`tillbench.live.seed.SEED_BODY_BYTES`)."""
    from simulator import build_world

    world = build_world(scenario, seed=seed)
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(timeout=120, headers=headers) as client:
        body = erp_catalog(world, exponent=minor_exponent(scenario.currency))
        for part in erp_catalog_chunks(body):
            erp = client.post(f"{servers.erp_base}/admin/erp/catalog", json=part)
            _check(erp, "seeding the mock ERP (POST /admin/erp/catalog)")
        for counts in chunks_by_size(pos_counts(world, scenario)):
            pos = client.post(f"{servers.pos_url}/driver/v1/inventory", json={"counts": counts})
            _check(pos, "seeding the mock POS (POST /driver/v1/inventory)")


def launch_stack(
    procs: ProcessSet, *, scenario: Any, run_dir: Path, seed: int | None
) -> MockServers:
    """Start and seed both mocks (in ``procs``, so they stop with it)."""
    servers = launch_mocks(procs, scenario=scenario, run_dir=run_dir, speed=1.0).ready()
    seed_stack(servers, scenario, seed)
    return servers


def start_connector(
    procs: ProcessSet,
    spec: ConnectorSpec,
    servers: MockServers,
    *,
    scenario: Any,
    run_dir: Path,
    speed: float,
) -> RunningConnector:
    """Subscribe the connector to the POS's webhooks, start it and wait for ``/health``."""
    prepared = prepare_connector_env(
        spec,
        servers,
        run_dir=run_dir,
        settings=connector_settings(scenario, speed=speed),
    )
    running = RunningConnector(
        procs,
        spec,
        env=prepared.env,
        log_dir=prepared.log_dir,
        url=prepared.url,
        health_timeout_s=None,
    )
    running.start()
    return running


REALTIME_PATIENCE_S = 5.0
"""How long a realtime connector may stay idle with sales missing before the wait ends."""


def patience(spec: ConnectorSpec, scenario: Any, *, speed: float) -> float:
    """How long to wait, with sales missing and nothing committed, before concluding that
    the connector is done: two batch intervals for a batch or hybrid connector (it fetches
    from the POS on its schedule and reports no backlog before), `REALTIME_PATIENCE_S`
    otherwise."""
    settings = connector_settings(scenario, speed=speed)
    if spec.name in ("batch", "hybrid") or settings["mode"] != "realtime":
        return max(REALTIME_PATIENCE_S, 2 * float(settings["interval"]))
    return REALTIME_PATIENCE_S


def locust_env(servers: MockServers, scenario_file: Path, seed: int | None) -> dict[str, str]:
    """The ``TILLBENCH_*`` variables of the Locust processes against the started mocks."""
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

"""Helpers of the load test tests: the ``loadtests/`` folder on ``sys.path`` (its modules
import each other by bare name, as Locust loads them) and mocks started for Locust."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

import scenarios
from simulator import build_world
from tillbench.live.mocks import ADMIN_TOKEN, MockServers, launch_mocks
from tillbench.live.processes import ProcessSet
from tillbench.load.locust import LOADTESTS
from tillbench.load.seed import erp_catalog
from tillbench.load.stack import locust_env, seed_stack

if str(LOADTESTS) not in sys.path:
    sys.path.insert(0, str(LOADTESTS))


@contextmanager
def mocks(run_dir: Path, *, seed_pos: bool = True, **erp: Any) -> Iterator[tuple[MockServers, Any]]:
    """The demo scenario's mocks (``erp`` overrides its ``erp`` section), the ERP seeded and
    the POS too unless ``seed_pos`` is False (its catalogue then starts empty)."""
    scenario = scenarios.load("demo")
    if erp:
        scenario = scenarios.override(scenario, {f"erp.{k}": v for k, v in erp.items()})
    run_dir.mkdir(parents=True, exist_ok=True)
    with ProcessSet() as procs:
        servers = launch_mocks(procs, scenario=scenario, run_dir=run_dir, speed=1.0).ready()
        if seed_pos:
            seed_stack(servers, scenario, None)
        else:
            response = httpx.post(
                f"{servers.erp_base}/admin/erp/catalog",
                json=erp_catalog(build_world(scenario, seed=None)),
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                timeout=60,
            )
            response.raise_for_status()
        yield servers, scenario


def locust_settings(servers: MockServers) -> dict[str, str]:
    """The ``TILLBENCH_*`` variables of a Locust run against ``servers`` (the bundled demo
    scenario, no seed), as ``tillbench load`` sets them."""
    return locust_env(servers, Path("demo"), None)


def module(name: str) -> Any:
    """A module of ``loadtests/`` by its bare name (only those without a Locust import)."""
    import importlib

    return importlib.import_module(name)

"""Shared by the Tryton tests: the benchmark's small scenario as a spec, its cached database,
and a raw login (the scenario is `benchmarks.tryton_load.bench_scenario`, shared with the
connector tests and the benchmark, so the cached database is too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from benchmarks.tryton_load import bench_scenario
from erps.tryton import TrytonDatabase, init_database
from tillbench.live.tryton import master_data


def bench_spec() -> dict[str, Any]:
    """The master data of the small two-store scenario."""
    return master_data(bench_scenario())


def bench_database(workdir: Path) -> TrytonDatabase:
    """The small scenario's database in `workdir` (built once per machine, then copied)."""
    return init_database(bench_spec(), workdir=workdir)


def login(url: str, user: str, password: str) -> list[Any]:
    """``common.db.login`` straight over HTTP: [uid, session, …]."""
    answer = httpx.post(
        url + "rpc/",
        json={"id": 1, "method": "common.db.login", "params": [user, {"password": password}, "en"]},
        timeout=30,
    )
    answer.raise_for_status()
    result: list[Any] = answer.json()["result"]
    return result

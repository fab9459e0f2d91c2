"""`seed_stack`: a chain of any size reaches both mocks in requests below their body limit."""

from __future__ import annotations

from pathlib import Path

import httpx

import scenarios
from simulator import build_world
from tillbench.live.mocks import launch_mocks
from tillbench.live.processes import ProcessSet
from tillbench.load.seed import pos_counts
from tillbench.load.stack import seed_stack


def test_a_thirty_store_chain_seeds_every_count(tmp_path: Path) -> None:
    scenario = scenarios.override(scenarios.load("demo"), {"chain.stores": 30})
    counts = pos_counts(build_world(scenario, seed=None), scenario)
    assert len(str(counts)) > 1024 * 1024, "one request would be over the mocks' 1 MiB limit"
    with ProcessSet() as procs:
        servers = launch_mocks(procs, scenario=scenario, run_dir=tmp_path, speed=1.0).ready()
        seed_stack(servers, scenario, None)
        listed = httpx.post(
            f"{servers.pos_url}/v2/inventory/counts/batch-retrieve",
            json={"limit": 1000},
            headers={"Authorization": f"Bearer {servers.credentials.harness}"},
            timeout=60,
        )
    assert listed.status_code == 200, listed.text[:300]
    assert listed.json().get("counts"), "the POS holds the opening counts"

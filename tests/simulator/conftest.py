"""Shared simulated runs: a small chain with every kind of document, written once per session."""

from __future__ import annotations

import pytest
from simruns import Run, small_scenario

from simulator import Params, simulate_traffic


@pytest.fixture(scope="session")
def rich_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    scenario = small_scenario()
    out = tmp_path_factory.mktemp("rich")
    summary = simulate_traffic(scenario, out)
    return Run(scenario, Params.from_scenario(scenario), out, summary)

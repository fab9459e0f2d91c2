"""Shared simulated runs: a small chain with every kind of document, written once per session."""

from __future__ import annotations

import pytest

from simulator import Params, simulate_traffic
from tests.simulator.support import Run, small_scenario


@pytest.fixture(scope="session")
def rich_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    scenario = small_scenario()
    out = tmp_path_factory.mktemp("rich")
    summary = simulate_traffic(scenario, out)
    return Run(scenario, Params.from_scenario(scenario), out, summary)

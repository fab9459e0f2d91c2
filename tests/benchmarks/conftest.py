"""The master data of the Tryton benchmark's two-store scenario."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.tryton_load import bench_scenario
from tillbench.live.tryton import master_data


@pytest.fixture(scope="session")
def tryton_spec() -> dict[str, Any]:
    return master_data(bench_scenario())

"""A session-wide Tryton database of the small scenario (initialised once, then cached)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.tryton_load import bench_scenario
from erps.tryton import TrytonDatabase, init_database, master_data


@pytest.fixture(scope="session")
def tryton_spec() -> dict[str, Any]:
    return master_data(bench_scenario())


@pytest.fixture(scope="session")
def tryton_db(
    tmp_path_factory: pytest.TempPathFactory, tryton_spec: dict[str, Any]
) -> TrytonDatabase:
    """The small scenario's database in a session work directory (built once, then cached)."""
    return init_database(tryton_spec, workdir=tmp_path_factory.mktemp("tryton-session"))

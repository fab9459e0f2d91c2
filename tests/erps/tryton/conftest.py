"""A session-wide Tryton database of the small scenario (initialised once, then cached)."""

from __future__ import annotations

from typing import Any

import pytest

from erps.tryton import TrytonDatabase
from tests.erps.tryton.support import bench_database, bench_spec


@pytest.fixture(scope="session")
def tryton_spec() -> dict[str, Any]:
    return bench_spec()


@pytest.fixture(scope="session")
def tryton_db(tmp_path_factory: pytest.TempPathFactory) -> TrytonDatabase:
    """The small scenario's database in a session work directory (built once, then cached)."""
    return bench_database(tmp_path_factory.mktemp("tryton-session"))

"""The small Tryton scenario's database, for the `tillbench erp tryton` tests."""

from __future__ import annotations

import pytest

from erps.tryton import TrytonDatabase
from tests.erps.tryton.support import bench_database


@pytest.fixture(scope="session")
def tryton_db(tmp_path_factory: pytest.TempPathFactory) -> TrytonDatabase:
    """Built once per machine (cached), so `erp tryton init` of the same world is a hit."""
    return bench_database(tmp_path_factory.mktemp("tryton-cli"))

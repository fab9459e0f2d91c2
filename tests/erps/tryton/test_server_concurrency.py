"""Concurrent writers on one trytond (slow): what SQLite and PostgreSQL really do.

REFERENCE (Tryton 8.2 as a real ERP): on SQLite concurrent writers can get duplicate POS
sale numbers while stock stays right; on PostgreSQL numbering is right but writers get 503
lock errors that need retries. The tests assert what must hold (every reference posted
once, stock right, on PostgreSQL distinct numbers and retried 503s) and record what varies
from run to run (SQLite's duplicate numbers) as test properties. Sales are posted through
the connector's client (`benchmarks.tryton_load`); stock is checked with the harness's.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchmarks.tryton_load import LoadResult, post_concurrently, synthetic_sales
from connectors.erp.tryton import PosSale
from erps.tryton import (
    ErpError,
    TrytonClient,
    TrytonDatabase,
    TrytonReader,
    TrytonServer,
    init_database,
    start_server,
)

pytestmark = pytest.mark.slow

PG_URL = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)
WRITERS = 4


@pytest.fixture
def sqlite_server(tmp_path: Path, tryton_spec: dict[str, Any]) -> Iterator[TrytonServer]:
    with start_server(init_database(tryton_spec, workdir=tmp_path), workdir=tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def pg_db(tmp_path_factory: pytest.TempPathFactory, tryton_spec: dict[str, Any]) -> TrytonDatabase:
    url = PG_URL.rpartition("/")[0] + "/tillbench_tryton_test"
    try:
        return init_database(tryton_spec, workdir=tmp_path_factory.mktemp("tryton-pg"), db_url=url)
    except ErpError as exc:
        if "unreachable" in str(exc):
            pytest.skip(f"no PostgreSQL: {exc}")
        raise


def expected_stock(spec: dict[str, Any], sales: list[PosSale], store: str) -> dict[str, Decimal]:
    held = {sku: Decimal(q) for s, sku, q in spec["stock"] if s == store}
    for sale in sales:
        if sale.store_id == store:
            for line in sale.lines:
                held[line.sku] = held.get(line.sku, Decimal(0)) - line.quantity
    return held


def check_stock(server: TrytonServer, spec: dict[str, Any], sales: list[PosSale]) -> None:
    """Tryton's stock at S0001, read with the harness's reader, is the spec's minus the sales."""
    with TrytonClient(server.url, user=server.user, password=server.password) as client:
        held = TrytonReader(client).stock(["S0001"])
    wanted = expected_stock(spec, sales, "S0001")
    assert {k: v for (_s, k), v in held.items() if v} == {k: v for k, v in wanted.items() if v}


def post_from_writers(
    server: TrytonServer,
    sales: list[PosSale],
    backend: str,
    record_property: Callable[[str, object], None],
) -> LoadResult:
    """`sales` posted one per call by `WRITERS` writers; the figures recorded and printed."""
    result = post_concurrently(
        server.url,
        user=server.user,
        password=server.password,
        sales=sales,
        writers=WRITERS,
        batch=1,
    )
    for name in ("duplicate_numbers", "status_503", "retries"):
        record_property(name, getattr(result, name))
    record_property("sales_per_s", round(result.sales_per_s, 2))
    print(f"{backend}, {WRITERS} writers: {result.to_json()}")
    return result


def test_sqlite_concurrent_writers_post_each_reference_once(
    sqlite_server: TrytonServer,
    tryton_spec: dict[str, Any],
    record_property: Callable[[str, object], None],
) -> None:
    sales = synthetic_sales(tryton_spec, 40, rng=random.Random(5), prefix="SQ", stores=["S0001"])
    result = post_from_writers(sqlite_server, sales, "sqlite", record_property)
    assert result.failed_batches == 0
    assert result.posted == len(sales)
    check_stock(sqlite_server, tryton_spec, sales)


def test_postgresql_concurrent_writers_get_503s_that_are_retried(
    tmp_path: Path,
    pg_db: TrytonDatabase,
    tryton_spec: dict[str, Any],
    record_property: Callable[[str, object], None],
) -> None:
    sales = synthetic_sales(tryton_spec, 60, rng=random.Random(6), prefix="PG", stores=["S0001"])
    with start_server(pg_db, workdir=tmp_path) as server:
        result = post_from_writers(server, sales, "postgresql", record_property)
        assert result.failed_batches == 0
        assert result.posted == len(sales)
        assert result.duplicate_numbers == 0
        assert result.status_503 > 0
        assert result.retries > 0
        check_stock(server, tryton_spec, sales)

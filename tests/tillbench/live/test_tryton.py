"""The Tryton side of a live run (`tillbench.live.tryton`): the connector's environment,
master data from the world, the sampler's and collector's reads, and `run --erp tryton` end to end
against a real Tryton 8.2, checked in Tryton itself with the harness's own reader.

The default suite runs one small run (one store, fifteen minutes, 37 transactions with
returns, the realtime connector, SQLite, one writer); the batch connector and PostgreSQL
with concurrent writers are slow. The first run on a machine builds Tryton's virtualenv
and database (about a minute); later ones copy the cached database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

import simulator
from benchmarks.tryton_load import bench_scenario
from domain.clock import RunClock
from erps.tryton import TrytonMove, TrytonProduct, TrytonReadError, TrytonSale, spec_hash
from reports import RunDir
from reports.charts import RunData
from reports.charts.retries import erp_pressure
from simulator.engine import RunState
from tests.tillbench.live.tryton_support import (
    drop_database,
    end_stock,
    expected_references,
    posted_counts,
    processes_in,
    small_scenario,
    tryton_of,
)
from tillbench.live import LiveRun, resolve_connector, run_live
from tillbench.live.tryton import TrytonSide, master_data

PG_URL = "postgresql://tillbench:tillbench@127.0.0.1:5432/"


def _checked_in_tryton(run: LiveRun) -> None:
    """Every POS document posted exactly once in Tryton, Tryton's stock = the POS book."""
    expected = expected_references(run.run_dir)
    with tryton_of(run.run_dir) as reader:
        counts = posted_counts(reader)
        stock = reader.stock()
    assert set(counts) == expected
    assert set(counts.values()) == {1}
    truth = end_stock(run.run_dir)
    assert {key: stock.get(key) for key in truth} == truth


@pytest.fixture(scope="module")
def sqlite_run(tmp_path_factory: pytest.TempPathFactory) -> LiveRun:
    tmp = tmp_path_factory.mktemp("tryton")
    return run_live(
        small_scenario(tmp),
        connector=resolve_connector("realtime", None),
        out=tmp / "runs",
        erp="tryton",
    )


@pytest.mark.slow  # a live run against a real Tryton: ~30 s
def test_the_verdict_passes_against_tryton(sqlite_run: LiveRun) -> None:
    assert sqlite_run.verdict is not None, sqlite_run.verify_error
    assert sqlite_run.verdict.passed, sqlite_run.verdict.diagnosis
    once = sqlite_run.verdict.exactly_once
    assert once.expected == 37
    assert once.expected_by_kind.get("return", 0) > 0
    assert sqlite_run.verdict.duplicate_numbers is not None
    assert sqlite_run.verdict.duplicate_numbers.checked == 37


@pytest.mark.slow  # a live run against a real Tryton: ~30 s
def test_every_pos_sale_is_posted_once_in_tryton_and_stock_matches(sqlite_run: LiveRun) -> None:
    _checked_in_tryton(sqlite_run)


@pytest.mark.slow  # a live run against a real Tryton: ~30 s
def test_the_run_says_what_ran_against_tryton(sqlite_run: LiveRun) -> None:
    run_dir = sqlite_run.run_dir
    meta = json.loads((run_dir / "run.json").read_text())
    env = json.loads((run_dir / "connector/env.json").read_text())

    assert meta["erp_kind"] == "tryton"
    assert meta["erp"]["kind"] == "tryton-8.2"
    assert meta["pos_kind"] == "square"
    assert meta["erp"]["database_kind"] == "sqlite"
    assert meta["workers"] == 1
    assert any("ERP-side scenario events" in note for note in meta["notes"])
    assert meta["erp_events"] == []
    assert env["TILLBENCH_ERP_KIND"] == "tryton"
    assert env["TILLBENCH_ERP_URL"] == meta["erp"]["url"]
    assert (run_dir / "erp/tillbench.sqlite").is_file()
    assert not (run_dir / "erp/journal.parquet").exists()
    samples = pd.read_parquet(run_dir / "samples/connector.parquet")
    assert samples["erp_calls"].max() > 0
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert 'id="erp_errors"' in report
    assert processes_in(run_dir / "erp") == []


@pytest.mark.slow
def test_the_batch_connector_against_tryton(tmp_path: Path) -> None:
    scenario = small_scenario(
        tmp_path, **{"integration.mode": "batch", "integration.interval": "2m"}
    )
    run = run_live(
        scenario,
        connector=resolve_connector("batch", None),
        out=tmp_path / "runs",
        erp="tryton",
    )

    assert run.verdict is not None, run.verify_error
    assert run.verdict.passed, run.verdict.diagnosis
    _checked_in_tryton(run)


@pytest.mark.slow
def test_concurrent_writers_on_postgresql_retry_503s_and_post_once(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    import psycopg

    try:
        psycopg.connect(PG_URL + "postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc}")
    scenario = small_scenario(
        tmp_path, **{"traffic.customers_per_store_day": 4000, "chain.registers": 4}
    )

    run = run_live(
        scenario,
        connector=resolve_connector("realtime", None),
        out=tmp_path / "runs",
        erp="tryton",
        erp_db_url=PG_URL,
        workers=4,
    )
    meta = json.loads((run.run_dir / "run.json").read_text())
    try:
        _judged_with_retries(run)
        assert meta["erp"]["database_kind"] == "postgresql"
    finally:
        drop_database(PG_URL, meta["erp"]["database"])


def _judged_with_retries(run: LiveRun) -> None:
    assert run.verdict is not None, run.verify_error
    once = run.verdict.exactly_once
    assert once.missing.count == once.duplicated.count == 0
    assert run.verdict.duplicate_numbers is not None
    assert run.verdict.duplicate_numbers.numbers == 0
    pressure = erp_pressure(RunData(RunDir.open(run.run_dir)))
    busy = pressure.totals.get("ERP 503s (connector's count)", 0)
    retried = pressure.totals.get("ERP calls retried (connector's ERP client)", 0)
    assert busy > 0 or retried > 0, pressure.totals
    report = (run.run_dir / "report.html").read_text(encoding="utf-8")
    section = report[report.index('id="erp_errors"') :]
    section = section[: section.index("<h2")]
    assert f"{max(busy, retried):,}" in section
    assert 'id="chart-erp_retries"' in section


# --- the wiring, without a Tryton ---------------------------------------------------------


def _side() -> TrytonSide:
    return TrytonSide(
        url="http://127.0.0.1:8123/tillbench/",
        user="admin",
        password="pw",
        company_id=1,
        database_kind="sqlite",
        database="/runs/x/erp",
        cache_hit=True,
        log_path=Path("/runs/x/erp/trytond.log"),
    )


def test_connector_environment_names_the_tryton_login() -> None:
    side = _side()

    env = side.connector_env()

    assert env == {
        "TILLBENCH_ERP_KIND": "tryton",
        "TILLBENCH_ERP_URL": "http://127.0.0.1:8123/tillbench/",
        "TILLBENCH_ERP_TOKEN": "admin:pw",
        "TILLBENCH_ERP_COMPANY": "1",
    }
    assert "pw" not in str(side.describe())


class _Reader:
    """A `TrytonReader` stand-in: fixed answers, or a Tryton error."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.closed = False

    def stock(self, stores: list[str]) -> dict[tuple[str, str], Decimal]:
        if self.fail:
            raise TrytonReadError(503, "locked")
        return {(store, "A"): Decimal("2.5") for store in stores}

    def sales(self) -> list[TrytonSale]:
        return []

    def moves(self) -> list[TrytonMove]:
        return []

    def products(self) -> list[TrytonProduct]:
        return [TrytonProduct("A", Decimal("1.25"))]

    def close(self) -> None:
        self.closed = True


def _with_reader(reader: _Reader) -> TrytonSide:
    side = _side()
    side._reader = reader  # type: ignore[assignment]
    return side


def test_the_stock_reader_gives_floats_or_none_on_a_tryton_error() -> None:
    ok = _with_reader(_Reader()).stock_reader(["S0001", "S0002"])
    failing = _with_reader(_Reader(fail=True)).stock_reader(["S0001"])

    assert asyncio.run(ok()) == {("S0001", "A"): 2.5, ("S0002", "A"): 2.5}
    assert asyncio.run(failing()) is None


def test_the_collector_writes_the_erp_tables(tmp_path: Path) -> None:
    collect = _with_reader(_Reader()).collector(
        tmp_path, clock=RunClock(wall_origin=0.0, speed=60.0), exponent=2, currency="USD"
    )

    counts = collect()

    assert counts == {
        "erp/documents": 0,
        "erp/document_lines": 0,
        "erp/customers": 0,
        "erp/items": 1,
    }
    items = pq.read_table(tmp_path / "erp/items.parquet").to_pylist()
    assert items == [{"sku": "A", "unit_price_minor": 125, "name": "A"}]
    assert (tmp_path / "erp/documents.parquet").is_file()


def test_stop_closes_the_harness_session_once() -> None:
    reader = _Reader()
    side = _with_reader(reader)

    side.stop()
    side.stop()

    assert reader.closed
    assert side.server is None


def test_start_failure_is_a_harness_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from erps.errors import ErpError
    from tillbench.live import HarnessError
    from tillbench.live.tryton import start_tryton

    def no_env(**_options: Any) -> None:
        raise ErpError("pip install failed; check the package index")

    monkeypatch.setattr("erps.tryton.ensure_env", no_env)
    with (
        contextlib.ExitStack() as stack,
        pytest.raises(HarnessError, match="Tryton could not be started: pip install failed"),
    ):
        start_tryton(
            stack,
            scenario=bench_scenario(),
            seed=None,
            run_dir=tmp_path,
            erp_db_url=None,
            progress=lambda _m: None,
        )


# --- master data from the simulator's world ------------------------------------------------


@pytest.fixture(scope="module")
def tryton_spec() -> dict[str, Any]:
    return master_data(bench_scenario())


def test_master_data_is_deterministic(tryton_spec: dict[str, Any]) -> None:
    again = master_data(bench_scenario())
    assert again == tryton_spec
    assert spec_hash(again) == spec_hash(tryton_spec)


def test_master_data_seed_changes_the_spec(tryton_spec: dict[str, Any]) -> None:
    other = master_data(bench_scenario(), seed=tryton_spec["seed"] + 1)
    assert spec_hash(other) != spec_hash(tryton_spec)


def test_master_data_matches_the_world(tryton_spec: dict[str, Any]) -> None:
    world = simulator.build_world(bench_scenario())
    assert [p["code"] for p in tryton_spec["products"]] == world.catalog.sku_ids
    assert [s["id"] for s in tryton_spec["stores"]] == world.store_ids
    initial = RunState.create(world).stock.initial.reshape(world.stores, -1)
    held = {(s, k): q for s, k, q in tryton_spec["stock"]}
    for i, store in enumerate(world.store_ids):
        for j, sku in enumerate(world.catalog.sku_ids):
            assert held.get((store, sku), 0) == initial[i, j]


def test_master_data_prices_and_tenders(tryton_spec: dict[str, Any]) -> None:
    rates = {t["name"]: Decimal(t["rate"]) for t in tryton_spec["taxes"]}
    for product in tryton_spec["products"]:
        net = Decimal(product["list_price"])
        gross = Decimal(product["gross_price"])
        assert gross == (net * (1 + rates[product["tax_class"]])).quantize(Decimal("0.0001"))
    assert "cash" in tryton_spec["tenders"]
    assert {"credit", "debit", "mobile", "other"} <= set(tryton_spec["tenders"])
    assert tryton_spec["dates"]["start"] <= tryton_spec["dates"]["end"]

"""`run --erp tryton` end to end against a real Tryton 8.2, checked in Tryton itself.

The default suite runs one small run (one store, fifteen minutes, 37 transactions with
returns, the realtime connector, SQLite, one writer); the batch connector and PostgreSQL
with concurrent writers are slow. The first run on a machine builds Tryton's virtualenv
and database (about a minute); later ones copy the cached database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from lv_tryton_support import (
    drop_database,
    end_stock,
    expected_references,
    posted_counts,
    processes_in,
    small_scenario,
    tryton_of,
)

from reports import RunDir
from reports.charts import RunData
from reports.charts.retries import erp_pressure
from tillbench.live import LiveRun, resolve_connector, run_live

PG_URL = "postgresql://tillbench:tillbench@127.0.0.1:5432/"


def _checked_in_tryton(run: LiveRun) -> None:
    """Every POS document posted exactly once in Tryton, Tryton's stock = the POS book."""
    expected = expected_references(run.run_dir)
    with tryton_of(run.run_dir) as pos:
        counts = posted_counts(pos)
        stock = pos.stock()
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


def test_the_verdict_passes_against_tryton(sqlite_run: LiveRun) -> None:
    assert sqlite_run.verdict is not None, sqlite_run.verify_error
    assert sqlite_run.verdict.passed, sqlite_run.verdict.diagnosis
    once = sqlite_run.verdict.exactly_once
    assert once.expected == 37
    assert once.expected_by_kind.get("return", 0) > 0
    assert sqlite_run.verdict.duplicate_numbers is not None
    assert sqlite_run.verdict.duplicate_numbers.checked == 37


def test_every_pos_sale_is_posted_once_in_tryton_and_stock_matches(sqlite_run: LiveRun) -> None:
    _checked_in_tryton(sqlite_run)


def test_the_run_says_what_ran_against_tryton(sqlite_run: LiveRun) -> None:
    run_dir = sqlite_run.run_dir
    meta = json.loads((run_dir / "run.json").read_text())
    env = json.loads((run_dir / "connector/env.json").read_text())

    assert meta["erp_kind"] == "tryton-8.2"
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

"""Run-table documentation and the report's reader."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from domain.records import TABLES as TRUTH
from reports.tables import LIVE_TABLES, RunTables, TablesError, markdown, truth_docs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "run-tables.md"


def test_committed_run_tables_page_matches_the_generator() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/run-tables.md is stale: python -m reports.tables --markdown > docs/run-tables.md"
    )


def test_every_table_and_column_is_documented() -> None:
    page = markdown()
    for stem, schema in TRUTH.items():
        assert f"## `truth/{stem}.parquet`" in page
        for name in schema.names:
            assert f"| `{name}` |" in page
    for name, doc in LIVE_TABLES.items():
        assert f"## `{name}.parquet`" in page
        assert all(c.meaning for c in doc.columns), name


def test_money_and_time_columns_carry_units() -> None:
    for doc in [*truth_docs().values(), *LIVE_TABLES.values()]:
        for column in doc.columns:
            if column.name.endswith("_minor"):
                assert column.unit == "minor units", (doc.name, column.name)
            if column.name == "t" or column.name.endswith("_t"):
                assert column.unit == "s (simulated)", (doc.name, column.name)


def test_journal_time_is_derived_from_wall_clock(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("name: x\n")
    (tmp_path / "run.json").write_text(json.dumps({"speed": 60, "wall_origin": 1000.0}))
    (tmp_path / "erp").mkdir()
    ts = pa.array([1_001_000_000, 1_002_500_000], pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    pq.write_table(pa.table({"ts": ts, "status": [201, 429]}), tmp_path / "erp/journal.parquet")
    journal = RunTables.open(tmp_path).journal()
    assert journal is not None
    np.testing.assert_allclose(journal["t"], [60.0, 150.0])


def test_absent_table_reads_as_none_and_missing_columns_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("name: x\nstart: '2026-11-27T07:00:00'\n")
    (tmp_path / "samples").mkdir()
    pd.DataFrame({"t": [1.0]}).to_parquet(tmp_path / "samples/connector.parquet")
    tables = RunTables.open(tmp_path)
    assert tables.read("erp/documents") is None
    frame = tables.read("samples/connector", ["t", "backlog"])
    assert frame is not None
    assert list(frame.columns) == ["t"]
    assert tables.start == pd.Timestamp("2026-11-27T07:00:00")
    assert tables.kind == "traffic"


def test_not_a_run_directory_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(TablesError, match=r"no scenario.yaml, truth/ or sweep.parquet"):
        RunTables.open(tmp_path)
    with pytest.raises(TablesError, match="not a run directory"):
        RunTables.open(tmp_path / "nope")


def test_broken_run_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("name: x\n")
    (tmp_path / "run.json").write_text("{not json")
    with pytest.raises(TablesError, match=r"run.json: not valid JSON"):
        RunTables.open(tmp_path)

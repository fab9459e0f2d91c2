"""`RunDir`, the one reader: tables through the contract, run.json, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reports import RunDir, RunDirError
from reports.charts import RunData


def test_journal_time_is_derived_from_wall_clock(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("name: x\n")
    (tmp_path / "run.json").write_text(json.dumps({"speed": 60, "wall_origin": 1000.0}))
    (tmp_path / "erp").mkdir()
    ts = pa.array([1_001_000_000, 1_002_500_000], pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    pq.write_table(pa.table({"ts": ts, "status": [201, 429]}), tmp_path / "erp/journal.parquet")
    journal = RunDir.open(tmp_path).journal()
    assert journal is not None
    np.testing.assert_allclose(journal["t"], [60.0, 150.0])


def test_absent_table_reads_as_none_and_missing_columns_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("name: x\nstart: '2026-11-27T07:00:00'\n")
    (tmp_path / "samples").mkdir()
    pd.DataFrame({"t": [1.0]}).to_parquet(tmp_path / "samples/connector.parquet")
    tables = RunDir.open(tmp_path)
    assert tables.frame("erp/documents") is None
    frame = tables.frame("samples/connector", ["t", "backlog"])
    assert frame is not None
    assert list(frame.columns) == ["t"]
    assert tables.start == pd.Timestamp("2026-11-27T07:00:00")
    assert tables.kind == "traffic"


def test_not_a_run_directory_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(RunDirError, match=r"no scenario.yaml, truth/ or sweep.parquet"):
        RunDir.open(tmp_path)
    with pytest.raises(RunDirError, match="not a run directory"):
        RunDir.open(tmp_path / "nope")


def test_broken_run_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("name: x\n")
    (tmp_path / "run.json").write_text("{not json")
    with pytest.raises(RunDirError, match=r"run.json: not valid JSON"):
        RunDir.open(tmp_path)


def test_simulation_has_no_wall_clock(simulated: Path) -> None:
    run = RunDir.open(simulated)
    assert run.speed is None
    assert RunData(run).speed == 1.0

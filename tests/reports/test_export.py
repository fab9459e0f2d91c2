"""Export: every table and the derived series, as CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from reports import RunDirError
from reports.export import export_run
from tests.reports.report_support import live_run


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return live_run(tmp_path_factory.mktemp("export"), verdict=False)


def test_csv_has_every_table_with_the_same_rows(run: Path) -> None:
    written = export_run(run, fmt="csv")
    folder = run / "export" / "csv"
    for table in run.rglob("*.parquet"):
        if "export" in table.relative_to(run).parts:
            continue
        csv = folder / table.relative_to(run).with_suffix(".csv")
        assert csv in written
        assert len(pd.read_csv(csv)) == pq.read_metadata(table).num_rows, table
    stores = pd.read_csv(folder / "truth/transactions.csv", nrows=5)["store_id"]
    assert stores.str.startswith("S").all(), "dictionary columns are decoded"
    latency = pd.read_csv(folder / "derived/sync_latency.csv")
    assert (latency["latency_s"] == latency["committed_t"] - latency["t"]).all()


def test_parquet_adds_the_derived_series(run: Path, tmp_path: Path) -> None:
    written = export_run(run, fmt="parquet", out=tmp_path / "pq")
    names = {p.relative_to(tmp_path / "pq").as_posix() for p in written}
    assert {"derived/drift.parquet", "derived/rates.parquet", "erp/journal.parquet"} <= names


def test_unknown_format_says_which_are_known(run: Path) -> None:
    with pytest.raises(RunDirError, match="format must be one of csv, parquet, got 'xlsx'"):
        export_run(run, fmt="xlsx")

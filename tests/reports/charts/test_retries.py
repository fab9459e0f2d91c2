"""The report's "ERP 503s and retries" section: every run shows it, "none" when zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reports import RunDir
from reports.charts import RunData
from reports.charts.retries import erp_pressure, pressure_rows, retries_over_time
from reports.html import build_report
from tests.reports.report_support import live_run


def _section(html: str) -> str:
    start = html.index('id="erp_errors"')
    return html[start : html.index("<h2", start)]


def _connector_samples(run: Path, **columns: list[float]) -> None:
    n = len(next(iter(columns.values())))
    t = np.arange(n, dtype="float64") * 300.0
    frame = {"t": t, "wall": 1.7e9 + t / 60, "backlog": np.zeros(n), **columns}
    pq.write_table(pa.table(frame), run / "samples/connector.parquet")


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return live_run(tmp_path)


def test_mock_erp_503s_come_from_its_journal(run: Path) -> None:
    journal = pd.read_parquet(run / "erp/journal.parquet")
    expected = int((journal["status"] == 503).sum())
    assert expected > 0

    rows = dict(pressure_rows(RunData(RunDir.open(run))))
    html = build_report(run).read_text(encoding="utf-8")

    assert rows["ERP 503s (ERP journal)"] == f"{expected:,}"
    section = _section(html)
    assert f"{expected:,}" in section
    assert 'id="chart-erp_retries"' in section
    assert (run / "charts/erp_retries.png").is_file()


def test_a_real_erps_counters_are_bridged_across_a_connector_restart(run: Path) -> None:
    (run / "erp/journal.parquet").unlink()
    _connector_samples(
        run,
        erp_calls=[0, 40, 90, 10, 30],
        erp_status_503=[0, 2, 5, 1, 1],
        erp_retries=[0, 2, 5, 1, 2],
        retries=[0, 0, 1, 0, 0],
    )

    pressure = erp_pressure(RunData(RunDir.open(run)))
    rows = dict(pressure_rows(RunData(RunDir.open(run))))

    # 0→2→5, restart at 1, then 1: 5 + 1 = 6 503s; calls 90 + 30 = 120
    assert pressure.totals["ERP 503s (connector's count)"] == 6
    assert pressure.totals["ERP calls (connector's count)"] == 120
    assert pressure.totals["ERP calls retried (connector's ERP client)"] == 7
    assert rows["ERP 503s per 100 calls"] == "5.00"
    assert rows["connector retries"] == "1"
    assert any("no ERP request journal" in value for value in rows.values())
    drawn = retries_over_time(RunData(RunDir.open(run)))
    assert not isinstance(drawn, str)


def test_a_run_without_503s_or_retries_says_none(tmp_path: Path) -> None:
    run = live_run(tmp_path, outage=None)
    _connector_samples(run, retries=[0, 0, 0], erp_status_503=[0, 0, 0], erp_retries=[0, 0, 0])

    rows = dict(pressure_rows(RunData(RunDir.open(run))))
    drawn = retries_over_time(RunData(RunDir.open(run)))
    html = build_report(run).read_text(encoding="utf-8")

    assert rows["ERP 503s (ERP journal)"] == "none"
    assert rows["ERP 503s (connector's count)"] == "none"
    assert rows["connector retries"] == "none"
    assert isinstance(drawn, str)
    assert drawn.startswith("none")
    section = _section(html)
    assert "none" in section
    assert "<img" not in section


def test_without_any_source_the_section_says_what_was_not_measured(run: Path) -> None:
    (run / "erp/journal.parquet").unlink()
    (run / "samples/connector.parquet").unlink()

    rows = pressure_rows(RunData(RunDir.open(run)))
    html = build_report(run).read_text(encoding="utf-8")

    assert ("ERP 503s", "not measured") in rows
    assert "not measured" in _section(html)

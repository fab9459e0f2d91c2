"""`tillbench verify`, `report`, `compare` and `export` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import scenarios
from simulator import simulate_traffic
from tests.reports.report_support import live_run
from tillbench.cli import app


@pytest.mark.slow
def test_report_compare_export(tmp_path: Path) -> None:
    a = live_run(tmp_path, "a", transactions=800)
    b = live_run(tmp_path, "b", transactions=800, latency_median_s=9.0)
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(a)])
    assert result.exit_code == 0, result.output
    assert (a / "report.html").is_file()
    result = runner.invoke(app, ["compare", str(a), str(b), "--out", str(tmp_path / "cmp")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cmp/compare.html").is_file()
    result = runner.invoke(app, ["export", str(a), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert "files in" in result.output
    assert (a / "export/parquet/derived/drift.parquet").is_file()


def test_export_command_writes_csv(tmp_path: Path) -> None:
    run = live_run(tmp_path, "a", transactions=500)
    result = CliRunner().invoke(app, ["export", str(run), "-f", "csv", "-o", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x/truth/transactions.csv").is_file()
    bad = CliRunner().invoke(app, ["export", str(run), "-f", "xml"])
    assert bad.exit_code == 2
    assert "format must be one of csv, parquet, got 'xml'" in bad.output


def test_not_a_run_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "not a run directory" in result.output


def test_verify_command_names_what_is_missing_and_exits_2(tmp_path: Path) -> None:
    small = {"chain.stores": 1, "duration": "20m", "faults": []}
    simulate_traffic(scenarios.override(scenarios.load("demo"), small), tmp_path)
    traffic_run = tmp_path

    result = CliRunner().invoke(app, ["verify", str(traffic_run)])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "erp/documents.parquet" in result.stderr

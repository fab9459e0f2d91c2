"""`tillbench scenarios list|show|validate` and one-line errors for a bad scenario."""

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scenarios
from tillbench.cli import app

runner = CliRunner()
LIBRARY = sorted(Path(scenarios.library_path("demo")).parent.glob("*.yaml"))


def test_scenarios_list_names_every_bundled_scenario():
    result = runner.invoke(app, ["scenarios", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in scenarios.library():
        assert name in result.stdout


def test_scenarios_validate_accepts_the_whole_library():
    result = runner.invoke(app, ["scenarios", "validate", *map(str, LIBRARY)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok\n") == len(LIBRARY) >= 6


def test_scenarios_show_prints_a_scenario_that_loads_back_equal(tmp_path):
    result = runner.invoke(app, ["scenarios", "show", "black-friday"])
    assert result.exit_code == 0, result.output
    dumped = tmp_path / "bf.yaml"
    dumped.write_text(result.stdout)
    assert scenarios.load(dumped) == scenarios.load("black-friday")


def test_scenarios_validate_reports_every_error_and_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nerp: {concurrency: 0}\ntraffic: {multiplier: -1}\n")
    result = runner.invoke(app, ["scenarios", "validate", str(bad)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert sorted(result.stderr.splitlines()) == [
        f"{bad}: erp.concurrency: must be ≥ 1, got 0",
        f"{bad}: traffic.multiplier: must be > 0, got -1",
    ]


def test_scenarios_validate_counts_failures_among_several_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nerp: {concurrency: 0}\n")
    result = runner.invoke(app, ["scenarios", "validate", str(LIBRARY[0]), str(bad)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "1 of 2 scenario files are invalid"


@pytest.mark.parametrize("command", [["scenarios", "show"], ["simulate", "--traffic-only"]])
def test_unknown_scenario_is_a_one_line_error(command):
    result = runner.invoke(app, [*command, "no-such-scenario"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "no-such-scenario" in result.stderr
    assert "demo" in result.stderr  # lists what is bundled


def test_console_script_exits_2_without_a_traceback(tmp_path):
    bad = tmp_path / "bf.yaml"
    bad.write_text("name: bf\nerp: {concurrency: 0}\ntraffic: {multiplier: -1}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "tillbench", "scenarios", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 2
    assert "erp.concurrency" in proc.stderr
    assert "got 0" in proc.stderr
    assert "traffic.multiplier" in proc.stderr
    assert "got -1" in proc.stderr

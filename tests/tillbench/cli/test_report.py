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


def _invalid_utf8(file: Path) -> None:
    """Rewrite ``file`` with its first string column's bytes broken: the footer still parses
    and the pages still decode, but the values are not text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(file)
    index = next(i for i, f in enumerate(table.schema) if pa.types.is_string(f.type))
    column = table.column(index).combine_chunks()
    _, offsets, data = column.buffers()
    broken = pa.py_buffer(b"\xff" * data.size)
    bad = pa.Array.from_buffers(pa.string(), len(column), [None, offsets, broken])
    pq.write_table(table.set_column(index, table.field(index), bad), file)


READERS = [["verify"], ["report"], ["export"], ["export", "--format", "parquet"], ["compare"]]


@pytest.mark.parametrize("damage", ["values", "text"])
def test_readers_refuse_a_corrupt_table_in_one_line(tmp_path: Path, damage: str) -> None:
    base = live_run(tmp_path, "base", transactions=300)
    run = live_run(tmp_path, "run", transactions=300)
    table = run / "truth" / "transactions.parquet"
    if damage == "values":
        _invalid_utf8(table)
    else:
        table.write_text("root:x:0:0:secret-line\n")
    for command in READERS:
        argv = (
            [command[0], str(base), str(run)]
            if command == ["compare"]
            else [*command[:1], str(run), *command[1:]]
        )
        result = CliRunner().invoke(
            app, [*argv, "--out", str(tmp_path / "o")] if command == ["compare"] else argv
        )
        assert result.exit_code == 2, (command, result.output, result.exception)
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith(f"{table}: cannot read it as Parquet ("), result.stderr
        assert "root:x" not in result.output
        assert "Traceback" not in result.output


def test_an_arrow_error_past_the_readers_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import pyarrow as pa

    import reports

    def broken(run_dir: Path) -> None:
        raise pa.ArrowIndexError("Index 198 out of bounds: \x00root:x:0:0")

    monkeypatch.setattr(reports, "verify", broken)
    result = CliRunner().invoke(app, ["verify", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path}: a table holds values that cannot be read (Index 198 out of bounds); "
        "write the run again or restore its files\n"
    )

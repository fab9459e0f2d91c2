"""`tillbench demo`: its options, and the combinations that do not apply."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tillbench.cli import app


def test_traffic_only_starts_no_pos_or_erp_to_choose(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--traffic-only", "--erp", "tryton", "--out", str(tmp_path)]
    )

    assert result.exit_code == 2
    assert result.stderr == "--traffic-only starts no POS or ERP: leave out --pos and --erp\n"
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_erp_is_a_usage_error_before_anything_runs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--erp", "odoo", "--out", str(tmp_path)])

    assert result.exit_code == 2
    assert result.stderr == "--erp: expected one of bc, netsuite, tryton, got 'odoo'\n"
    assert list(tmp_path.iterdir()) == []


def test_help_names_the_targets() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    assert "--pos" in result.stdout
    assert "--erp" in result.stdout


def test_demo_refuses_what_this_machine_cannot_hold(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("scenarios._work.available_memory", lambda: 64 * 2**20)
    for argv in (["demo"], ["demo", "--traffic-only"]):
        result = CliRunner().invoke(app, [*argv, "--out", str(tmp_path)])
        assert result.exit_code == 2, argv
        assert result.stderr.startswith("demo: too large for this machine: about ")
        assert result.stderr.endswith("64.0 MB are free; simulate a smaller chain for less time\n")
        assert list(tmp_path.iterdir()) == []

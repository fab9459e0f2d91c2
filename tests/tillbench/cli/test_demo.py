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

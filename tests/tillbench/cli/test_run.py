"""`tillbench run --erp/--erp-db/--workers`: bad values are one-line usage errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tillbench.cli import app


def _run(tmp_path: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["run", "demo", "--out", str(tmp_path), *options])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--erp", "odoo"), "--erp: expected one of mock, tryton, got 'odoo'"),
        (
            ("--erp-db", "postgresql://u@127.0.0.1/db"),
            "--erp-db is the database of a real ERP: use it with --erp tryton",
        ),
        (("--erp", "tryton", "--erp-db", "sqlite:///x.db"), "--erp-db: expected a PostgreSQL URL"),
    ],
)
def test_bad_erp_options_are_usage_errors(
    tmp_path: Path, options: tuple[str, ...], message: str
) -> None:
    code, err = _run(tmp_path, *options)

    assert code == 2
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_workers_must_be_positive(tmp_path: Path) -> None:
    code, _ = _run(tmp_path, "--workers", "0")

    assert code == 2
    assert list(tmp_path.iterdir()) == []


def test_help_names_the_erp_choices() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    assert "--erp" in result.stdout
    assert "tryton" in result.stdout
    assert "--erp-db" in result.stdout
    assert "--workers" in result.stdout

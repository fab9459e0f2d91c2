"""`tillbench erp tryton …`: one-line errors with exit code 2, and the lifecycle end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from erps.tryton import TrytonDatabase
from tillbench.cli import app

SMALL = [
    "--set",
    "chain.stores=2",
    "--set",
    "duration=20m",
    "--set",
    "faults=[]",
    "--set",
    "traffic.multiplier=4.0",
    "--set",
    "data_quality.card_in_notes=0.0",
]


def tryton(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["erp", "tryton", *args])
    return result.exit_code, result.stdout, result.stderr


def test_stop_and_status_when_nothing_runs(tmp_path: Path) -> None:
    code, out, _err = tryton("stop", "--dir", str(tmp_path))
    assert (code, out) == (0, f"no trytond running for {tmp_path}\n")
    code, out, _err = tryton("status", "--dir", str(tmp_path))
    assert (code, out) == (1, f"no trytond running for {tmp_path}\n")


def test_start_without_init_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _out, err = tryton("start", "--dir", str(tmp_path))
    assert code == 2
    assert err == (
        f"{tmp_path}: no Tryton database here; run `tillbench erp tryton init SCENARIO "
        f"--dir {tmp_path}` first\n"
    )


def test_init_rejects_a_scenario_in_the_future(tmp_path: Path) -> None:
    code, _out, err = tryton(
        "init", "demo", "--dir", str(tmp_path), "--set", "start=2099-01-01T10:00:00",
        "--set", "faults=[]",
    )  # fmt: skip
    assert code == 2
    assert "runs until 2099-01-01, after today" in err
    assert "Tryton refuses stock moves dated in the future" in err


def test_init_bad_override(tmp_path: Path) -> None:
    code, _out, err = tryton("init", "demo", "--dir", str(tmp_path), "--set", "chain.stores")
    assert code == 2
    assert err == "--set 'chain.stores': expected KEY=VALUE, e.g. erp.concurrency=3\n"


def test_init_start_status_stop(
    tmp_path: Path, tryton_db: TrytonDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the README runs it: from a project folder, with the default (relative) --dir."""
    monkeypatch.chdir(tmp_path)
    code, out, _err = tryton("init", "demo", *SMALL)
    assert code == 0, out
    assert "2 sale points (from the cache)" in out
    code, out, err = tryton("start")
    try:
        assert code == 0, err
        lines = dict(
            part.split("=", 1) for line in out.splitlines() for part in line.split() if "=" in part
        )
        assert lines["TILLBENCH_ERP_KIND"] == "tryton"
        assert lines["TILLBENCH_ERP_URL"].endswith("/tillbench/")
        assert lines["TILLBENCH_ERP_TOKEN"] == f"{tryton_db.user}:{tryton_db.password}"
        code, out, _err = tryton("status")
        assert code == 0
        assert lines["TILLBENCH_ERP_URL"] in out
    finally:
        code, out, _err = tryton("stop")
    assert (code, out) == (0, "trytond stopped\n")
    assert (tmp_path / "runs" / "tryton" / "tillbench.sqlite").exists()

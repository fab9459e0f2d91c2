"""`tillbench run` and `tillbench demo` exit codes: 0 pass, 1 an SLO failed, 2 usage error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from live_support import TINY_YAML, processes_mentioning, script_connector
from typer.testing import CliRunner

from tillbench.cli import app


@pytest.fixture
def tiny(tmp_path: Path) -> str:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_YAML.format(speed=600))
    return str(path)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_unknown_scenario_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path))
    assert code == 2
    assert "nope.yaml" in err
    assert not list(tmp_path.glob("*-*"))


def test_unknown_connector_program_is_a_usage_error(tiny: str, tmp_path: Path) -> None:
    code, _, err = invoke(
        "run", tiny, "--connector", "no-such-connector-xyz", "--out", str(tmp_path)
    )
    assert code == 2
    assert err.strip() == (
        "--connector 'no-such-connector-xyz': 'no-such-connector-xyz' is neither one of "
        "realtime, batch, hybrid nor a program on PATH; check the spelling or give the full path"
    )


def test_bad_set_override_is_a_usage_error(tiny: str, tmp_path: Path) -> None:
    code, _, err = invoke("run", tiny, "--set", "chain.stores", "--out", str(tmp_path))
    assert code == 2
    assert "expected KEY=VALUE" in err


def test_connector_that_dies_is_a_usage_error_without_orphans(tiny: str, tmp_path: Path) -> None:
    command = f"{sys.executable} -c 'raise SystemExit(4)'"
    code, _, err = invoke("run", tiny, "--connector", command, "--out", str(tmp_path / "runs"))
    assert code == 2
    assert "exited with code 4 before answering GET /health" in err.splitlines()[-1]
    (run_dir,) = (tmp_path / "runs").iterdir()
    assert processes_mentioning(str(run_dir)) == []


def test_a_failed_slo_exits_1_with_the_verdict_and_run_directory(tiny: str, tmp_path: Path) -> None:
    out = tmp_path / "runs"
    code, stdout, _ = invoke("run", tiny, "--connector", script_connector(), "--out", str(out))
    (run_dir,) = out.iterdir()
    assert code == 1, stdout
    assert f"run directory: {run_dir}" in " ".join(stdout.split())
    assert (run_dir / "summary.json").exists() or "not verified" in stdout
    assert processes_mentioning(str(run_dir)) == []

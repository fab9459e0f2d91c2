"""`tillbench run`: exit codes (0 pass, 1 an SLO failed, 2 usage error, 130 interrupted),
the --pos/--erp/--erp-db/--workers options (bad values are one-line usage errors), no
process left behind, and the reference real-time connector end to end."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.tillbench.live.support import TINY_YAML, processes_mentioning, script_connector
from tillbench.cli import app

# --- options -------------------------------------------------------------------------


def _run(tmp_path: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["run", "demo", "--out", str(tmp_path), *options])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--erp", "odoo"), "--erp: expected one of bc, netsuite, tryton, got 'odoo'"),
        (("--erp", "mock"), "--erp: expected one of bc, netsuite, tryton, got 'mock'"),
        (("--pos", "clover"), "--pos: expected one of shopify, square, got 'clover'"),
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
    assert "--pos" in result.stdout
    assert "square" in result.stdout
    assert "--erp" in result.stdout
    assert "bc" in result.stdout
    assert "tryton" in result.stdout
    assert "--erp-db" in result.stdout
    assert "--workers" in result.stdout


# --- exit codes ----------------------------------------------------------------------


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


# --- interrupted ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, pytest.param(signal.SIGTERM, marks=pytest.mark.slow)]
)
def test_interrupted_run_stops_every_process(tmp_path: Path, sig: signal.Signals) -> None:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_YAML.format(speed=30))
    out = tmp_path / "runs"
    harness = subprocess.Popen(
        [sys.executable, "-m", "tillbench", "run", str(scenario), "--out", str(out),
         "--connector", script_connector()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(out.glob("*/run.json")):
            time.sleep(0.1)
        (run_dir,) = [p.parent for p in out.glob("*/run.json")]
        time.sleep(1.0)
        assert processes_mentioning(str(run_dir)), "the mocks run during the traffic"
        harness.send_signal(sig)
        _, err = harness.communicate(timeout=60)
    finally:
        if harness.poll() is None:
            harness.kill()
    assert harness.returncode == 130, err
    assert b"interrupted; every server and the connector were stopped" in err
    assert processes_mentioning(str(run_dir)) == []
    assert processes_mentioning(f"TILLBENCH_RUN_ID={run_dir.name}") == []


# --- the reference connector end to end ----------------------------------------------

DEMO_LIKE = """\
name: demo-like
extends: demo
duration: 20m
speed: 120
chain: {stores: 2, registers: 3, self_checkouts: 1}
traffic: {customers_per_store_day: 3000}
faults:
  - {at: "11:04", for: 3m, target: erp, kind: outage}
  - {at: "11:09", for: 3m, target: pos.webhooks, kind: duplicate, rate: 0.5}
  - {at: "11:12", for: 3m, target: "store:2", kind: offline}
slo: {converge_within: 5m, sync_latency_p95: 10m}
"""


@pytest.mark.slow
def test_realtime_connector_posts_everything_exactly_once(tmp_path: Path) -> None:
    pytest.importorskip("connectors.realtime")
    scenario = tmp_path / "demo-like.yaml"
    scenario.write_text(DEMO_LIKE)
    out = tmp_path / "runs"
    result = CliRunner().invoke(
        app, ["run", str(scenario), "--connector", "realtime", "--out", str(out)]
    )
    (run_dir,) = out.iterdir()
    summary = json.loads((run_dir / "summary.json").read_text())
    once = summary["exactly_once"]
    assert once["missing"]["count"] == 0, result.stdout
    assert once["duplicated"]["count"] == 0, result.stdout
    assert once["posted"] == once["expected"] > 50
    assert summary["drift"]["sum_abs"] == 0, result.stdout
    synced = pq.read_table(run_dir / "samples/prices.parquet").to_pylist()
    assert len(synced) == 4
    assert all(r["erp_t"] is not None for r in synced)
    assert all(r["pos_t"] is None or r["pos_t"] >= r["erp_t"] for r in synced)
    assert processes_mentioning(str(run_dir)) == []
    assert result.exit_code in (0, 1), result.stdout


def test_run_refuses_a_scenario_too_large_before_starting_anything(tmp_path: Path) -> None:
    huge = ["--set", "chain.stores=100000", "--set", "duration=28d"]
    result = CliRunner().invoke(app, ["run", "demo", *huge, "--out", str(tmp_path)])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("demo: too large for this machine: about 4.2 billion transactions")
    assert "(--set chain.stores=" in line
    assert list(tmp_path.iterdir()) == []


def test_run_names_the_key_of_a_set_value_over_the_yaml_budget(tmp_path: Path) -> None:
    laughs = "[" * 40 + "1" + "]" * 40
    result = CliRunner().invoke(app, ["run", "demo", "--set", f"erp.concurrency={laughs}"])
    assert result.exit_code == 2
    assert result.stderr == (
        "--set erp.concurrency: YAML too large: lists and mappings nest more than 32 deep here\n"
    )


def test_run_masks_database_passwords_in_its_errors(monkeypatch) -> None:
    from tillbench.live import UsageError

    def refuse(connector, url):
        raise UsageError("--db postgresql://u:pw-s3cret@127.0.0.1:1/x: cannot connect")

    monkeypatch.setattr("tillbench.live.resolve_connector", refuse)
    url = "postgresql://u:pw-s3cret@127.0.0.1:1/x"
    result = CliRunner().invoke(app, ["run", "demo", "--db", url, "--erp-db", url])
    assert result.exit_code == 2
    assert result.stderr == "--db postgresql://u:***@127.0.0.1:1/x: cannot connect\n"

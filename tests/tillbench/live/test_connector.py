"""The connector under test: resolution of --connector / --connector-url, its settings in
wall seconds, a connector that never becomes healthy (a clear usage error and no process
left behind), and one the user runs himself, found by URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import scenarios
from tests.tillbench.live.support import (
    MIXED,
    SCRIPT_CONNECTOR,
    processes_mentioning,
    script_connector,
    tiny_scenario,
)
from tillbench.live import ConnectorNotHealthy, LiveRun, UsageError, resolve_connector, run_live
from tillbench.live.connector import connector_settings
from tillbench.live.ports import free_ports


def test_reference_names_run_the_reference_modules() -> None:
    pytest.importorskip("connectors.realtime")
    spec = resolve_connector(None, None)
    assert spec.name == "realtime"
    assert spec.command is not None
    assert spec.command.endswith("-m connectors.realtime")


def test_a_command_is_kept_as_given() -> None:
    spec = resolve_connector(f"{sys.executable} my_connector.py --fast", None)
    assert spec.command == f"{sys.executable} my_connector.py --fast"
    assert not spec.attached


def test_an_unknown_program_is_a_usage_error_that_says_what_to_do() -> None:
    with pytest.raises(UsageError) as info:
        resolve_connector("no-such-connector-xyz --port 1", None)
    assert str(info.value) == (
        "--connector 'no-such-connector-xyz --port 1': 'no-such-connector-xyz' is neither one "
        "of realtime, batch, hybrid nor a program on PATH; check the spelling or give the "
        "full path"
    )


def test_command_and_url_exclude_each_other() -> None:
    with pytest.raises(UsageError, match="exclude each other"):
        resolve_connector("realtime", "http://127.0.0.1:9000")


@pytest.mark.parametrize("url", ["127.0.0.1:9000", "ftp://x:1", "http://localhost"])
def test_a_bad_connector_url_is_a_usage_error(url: str) -> None:
    with pytest.raises(UsageError, match=r"expected a URL like http://127\.0\.0\.1:9000"):
        resolve_connector(None, url)


def test_attached_connector_gets_a_webhook_path() -> None:
    from tillbench.live.connector import base_url, webhook_url

    spec = resolve_connector(None, "http://127.0.0.1:9000/")
    assert webhook_url(spec, 1234) == "http://127.0.0.1:9000/webhooks/square"
    assert base_url(spec, 1234) == "http://127.0.0.1:9000"
    hooked = resolve_connector(None, "http://127.0.0.1:9000/hooks/pos")
    assert webhook_url(hooked, 1234) == "http://127.0.0.1:9000/hooks/pos"


def test_connector_that_never_gets_healthy_stops_the_run_cleanly(tmp_path: Path) -> None:
    command = script_connector("--never-healthy")
    started = time.monotonic()
    with pytest.raises(ConnectorNotHealthy) as info:
        run_live(
            tiny_scenario(tmp_path), connector=command, out=tmp_path / "runs", health_timeout_s=2
        )
    assert time.monotonic() - started < 30
    message = str(info.value)
    assert "\n" not in message
    assert "did not answer GET http://127.0.0.1:" in message
    assert "within 2 s; it must listen on TILLBENCH_LISTEN" in message
    (run_dir,) = (tmp_path / "runs").iterdir()
    assert processes_mentioning(str(run_dir)) == []
    assert processes_mentioning(f"TILLBENCH_RUN_ID={run_dir.name}") == []


@pytest.mark.slow
def test_connector_that_exits_at_once_names_its_exit_code_and_log(tmp_path: Path) -> None:
    spec = resolve_connector(f"{sys.executable} -c 'raise SystemExit(3)'", None)
    with pytest.raises(ConnectorNotHealthy) as info:
        run_live(tiny_scenario(tmp_path), connector=spec, out=tmp_path / "runs")
    (run_dir,) = (tmp_path / "runs").iterdir()
    log = run_dir / "connector" / "logs" / "connector.out.log"
    assert str(info.value) == (
        f"connector {Path(sys.executable).name!r} exited with code 3 before answering "
        f"GET /health; fix the command or read its log {log}"
    )
    assert processes_mentioning(str(run_dir)) == []


def test_connector_settings_are_in_wall_seconds(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED)
    settings = connector_settings(scenarios.load(str(path)), speed=60.0)
    assert settings["interval"] == pytest.approx(15.0)
    assert settings["retry"]["base"] == pytest.approx(1 / 60)
    assert settings["retry"]["cap"] == pytest.approx(5.0)
    assert settings["retry"]["attempts"] == 8
    assert settings["mode"] == "realtime"
    assert settings["max_batch"] == 100


@pytest.mark.slow
def test_attached_connector_is_found_by_url_and_gets_the_traffic(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    out = tmp_path / "runs"
    result: list[LiveRun | BaseException] = []

    def harness() -> None:
        try:
            result.append(
                run_live(
                    tiny_scenario(tmp_path),
                    connector=resolve_connector(None, url),
                    out=out,
                    health_timeout_s=60,
                )
            )
        except BaseException as exc:
            result.append(exc)

    thread = threading.Thread(target=harness)
    thread.start()
    deadline = time.monotonic() + 60
    env_file: Path | None = None
    while env_file is None and time.monotonic() < deadline:
        env_file = next(out.glob("*/connector/env.json"), None) if out.exists() else None
        time.sleep(0.1)
    assert env_file is not None
    env = json.loads(env_file.read_text())
    assert env["TILLBENCH_LISTEN"] == f"127.0.0.1:{port}"
    assert env["TILLBENCH_WEBHOOK_URL"] == f"{url}/webhooks/square"
    user = subprocess.Popen(
        [sys.executable, str(SCRIPT_CONNECTOR)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        thread.join(timeout=120)
    finally:
        user.terminate()
        user.wait(timeout=10)
    (run,) = result
    assert isinstance(run, LiveRun), run
    docs = pq.read_table(run.run_dir / "erp/documents.parquet").to_pylist()
    assert any(d["kind"] == "invoice" for d in docs)
    meta = json.loads((run.run_dir / "run.json").read_text())
    assert meta["connector"]["url"] == url
    assert meta["connector"]["command"] is None

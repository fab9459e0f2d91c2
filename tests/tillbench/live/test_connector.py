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
from tillbench.live.connector import RunningConnector, connector_settings
from tillbench.live.ports import free_ports
from tillbench.live.processes import ProcessSet


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


def test_a_command_with_an_environment_assignment_checks_the_program_after_it() -> None:
    spec = resolve_connector(f"FOO=1 BAR='a b' {sys.executable} my_connector.py", None)
    assert spec.command == f"FOO=1 BAR='a b' {sys.executable} my_connector.py"
    assert spec.name == Path(sys.executable).name
    with pytest.raises(UsageError, match="'no-such-connector-xyz' is neither one of"):
        resolve_connector("FOO=1 no-such-connector-xyz", None)


def test_a_program_under_the_home_directory_is_found_as_the_shell_would(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "conn").write_text("#!/bin/sh\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_connector("~/bin/conn --fast", None).name == "conn"


@pytest.mark.parametrize(
    "command",
    ["cd /tmp && ./my-connector --fast", "exec my-connector", "my-connector $(cat args)"],
)
def test_shell_syntax_is_left_to_the_shell(command: str) -> None:
    spec = resolve_connector(command, None)
    assert spec.command == command
    assert spec.name == "shell"


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


QUIET_YAML = """\
name: quiet
extends: demo
duration: 15m
speed: 180
chain: {stores: 2, registers: 3, self_checkouts: 1}
traffic: {customers_per_store_day: 3000}
faults: []
slo: {converge_within: 1m}
"""


TINY_CONNECTOR = """\
import os, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer

class Health(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')
    def log_message(self, *args):
        pass

def die():
    while not os.path.exists(sys.argv[1]):
        time.sleep(0.02)
    os._exit(int(sys.argv[2]))

host, port = os.environ["TILLBENCH_LISTEN"].split(":")
threading.Thread(target=die, daemon=True).start()
HTTPServer((host, int(port)), Health).serve_forever()
"""


def _tiny_connector(
    tmp_path: Path, procs: ProcessSet, *, code: int = 3
) -> tuple[RunningConnector, list[dict[str, object]]]:
    """A connector that answers /health and exits with ``code`` once ``tmp_path/die``
    exists."""
    script = tmp_path / "tiny_connector.py"
    script.write_text(TINY_CONNECTOR)
    (port,) = free_ports(1)
    said: list[dict[str, object]] = []
    spec = resolve_connector(f"{sys.executable} {script} {tmp_path / 'die'} {code}", None)
    connector = RunningConnector(
        procs,
        spec,
        env={"TILLBENCH_LISTEN": f"127.0.0.1:{port}"},
        log_dir=tmp_path / "logs",
        url=f"http://127.0.0.1:{port}",
        health_timeout_s=20,
        on_exit=said.append,
    )
    return connector, said


def test_an_exit_the_harness_did_not_ask_for_is_recorded_once(tmp_path: Path) -> None:
    with ProcessSet() as procs:
        connector, said = _tiny_connector(tmp_path, procs, code=3)
        connector.start()
        before = time.time()
        (tmp_path / "die").touch()
        deadline = time.monotonic() + 10
        while not said and time.monotonic() < deadline:
            time.sleep(0.05)
        connector.stop()
    (entry,) = connector.exits
    assert said == [entry]
    assert entry["code"] == 3
    assert entry["restarted"] is False
    assert entry["t"] is None
    assert before < entry["wall"] < time.time()


def test_a_planned_outage_and_the_final_stop_are_not_exits(tmp_path: Path) -> None:
    import asyncio

    with ProcessSet() as procs:
        connector, said = _tiny_connector(tmp_path, procs)
        connector.start()
        asyncio.run(connector.outage(0.2))
        time.sleep(0.3)
        connector.stop()
    assert connector.restarts == 1
    assert connector.exits == []
    assert said == []


def test_a_planned_outage_restarts_a_connector_that_had_died(tmp_path: Path) -> None:
    import asyncio

    with ProcessSet() as procs:
        connector, said = _tiny_connector(tmp_path, procs, code=1)
        connector.start()
        (tmp_path / "die").touch()
        deadline = time.monotonic() + 10
        while not said and time.monotonic() < deadline:
            time.sleep(0.05)
        connector.spec = resolve_connector(
            f"{sys.executable} {tmp_path / 'tiny_connector.py'} -1 0", None
        )
        asyncio.run(connector.outage(0.1))
        connector.stop()
    (entry,) = connector.exits
    assert (entry["code"], entry["restarted"]) == (1, True)


@pytest.mark.slow
def test_a_connector_that_dies_is_an_event_in_run_json_the_log_and_verify(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from tillbench.cli import app
    from tillbench.live.status import LiveStatus

    path = tmp_path / "quiet.yaml"
    path.write_text(QUIET_YAML)
    said: list[LiveStatus] = []
    started = time.time()
    run = run_live(
        scenarios.load(str(path)),
        connector=script_connector("--exit-after", "2:3"),
        out=tmp_path / "runs",
        progress=said.append,
    )

    meta = json.loads((run.run_dir / "run.json").read_text())
    (found,) = meta["connector_exits"]
    assert found["code"] == 3
    assert found["restarted"] is False
    assert started + 2 < found["wall"] < meta["wall_origin"] + meta["traffic_end_t"] / 180
    assert meta["connector_restarts"] == 0
    (event,) = [s for s in said if s.phase == "event"]
    log = run.run_dir / "connector" / "logs" / "connector.out.log"
    assert event.message == (
        f"the connector exited unexpectedly (code 3); the harness does not restart it; "
        f"its log: {log}"
    )
    assert run.verdict is not None
    assert not run.verdict.passed
    result = CliRunner().invoke(app, ["verify", str(run.run_dir)])
    assert result.exit_code == 1, result.output
    assert "connector exited: the connector exited with code 3 at " in " ".join(
        result.output.split()
    )
    assert processes_mentioning(str(run.run_dir)) == []

"""A connector the user runs himself: the harness writes its environment, waits for its
/health at the given URL, and drives traffic through it."""

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
from live_support import SCRIPT_CONNECTOR, tiny_scenario

from tillbench.live import LiveRun, resolve_connector, run_live
from tillbench.live.ports import free_ports


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

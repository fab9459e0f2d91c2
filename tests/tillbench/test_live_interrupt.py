"""Ctrl-C (SIGINT) or SIGTERM in the middle of a live run: exit 130, nothing left running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from live_support import TINY_YAML, processes_mentioning, script_connector


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

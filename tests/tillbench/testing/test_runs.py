"""``tillbench_run`` through pytester: a live run against a connector that posts nothing
fails with the verdict in the assertion and in the report, and ``--tillbench-keep-runs``
keeps the run where a CI job can publish it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

IDLE_CONNECTOR = """
import json, os
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

host, port = os.environ["TILLBENCH_LISTEN"].rsplit(":", 1)
HTTPServer((host, int(port)), Handler).serve_forever()
"""

TINY = """\
name: tiny
extends: demo
duration: 3m
speed: 120
chain: {stores: 1}
faults: []
"""

SUITE = """
import sys
from pathlib import Path

def test_idle_connector_loses_every_sale(tillbench_run):
    result = tillbench_run([sys.executable, str(Path(__file__).with_name("idle.py"))])
    assert result.objectives["missing"].passed is False
    assert "missing" in result.findings
    assert result.transactions == result.objectives["missing"].actual
    assert result.paths.junit.exists()
    result.assert_passed()
"""


@pytest.mark.slow  # a failing live run through pytester: ~25 s
def test_a_failed_run_explains_itself_and_is_kept(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", tiny=TINY)
    (pytester.path / "idle.py").write_text(IDLE_CONNECTOR)
    pytester.makepyfile(SUITE)
    kept = pytester.path / "kept"
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--tillbench-scenario",
        "tiny.yaml",
        "--tillbench-keep-runs",
        str(kept),
        "--junitxml",
        "junit.xml",
        timeout=300,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: objectives failed: *missing*",
            "E*missing: * of * POS transactions never reached the ERP*",
            "*- tillbench runs -*",
            "objectives failed: *missing*",
            f"*run directory: {kept}/*-tiny  report: {kept}/*-tiny/report.html",
        ]
    )
    (run_dir,) = kept.iterdir()
    assert (run_dir / "report.html").stat().st_size > 10_000
    assert (run_dir / "junit.xml").exists()
    properties = {
        p.get("name"): p.get("value")
        for p in ET.parse(pytester.path / "junit.xml").getroot().iter("property")
    }
    assert Path(properties["tillbench_run_dir"]) == run_dir
    assert Path(properties["tillbench_report"]) == run_dir / "report.html"

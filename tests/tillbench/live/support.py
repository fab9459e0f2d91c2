"""Helpers for the live-run tests: small scenarios, the script connector, orphan checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import scenarios

SCRIPT_CONNECTOR = Path(__file__).with_name("script_connector.py")

TINY_YAML = """\
name: tiny
extends: demo
description: two stores for fifteen minutes, fast
duration: 15m
speed: {speed}
chain: {{stores: 2, registers: 3, self_checkouts: 1}}
traffic: {{customers_per_store_day: 3000}}
faults:
  - {{at: "11:03", for: 2m, target: erp, kind: outage}}
  - {{at: "11:06", for: 3m, target: "store:1", kind: offline}}
  - {{at: "11:10", for: 1m, target: connector, kind: outage}}
  - {{at: "11:00:30", for: 150s, target: pos.webhooks, kind: duplicate, rate: 0.5}}
slo: {{converge_within: 1m}}
"""

MIXED = """\
name: mixed
extends: demo
chain: {stores: 3}
faults:
  - {at: "11:10", for: 5m, target: erp, kind: outage}
  - {at: "11:10", for: 5m, target: pos, kind: errors, rate: 0.2}
  - {at: "11:20", for: 10m, target: pos.webhooks, kind: delay, latency: 60s}
  - {at: "11:20", for: 2m, target: "store:3", kind: offline}
  - {at: "11:40", for: 1m, target: connector, kind: outage}
  - {at: "11:45", for: 1m, target: connector, kind: latency, latency: 1s}
  - {at: "11:50", for: 2m, target: erp, kind: rate_limit, rate: 0.5}
"""
"""Every kind of fault target at once (who applies which)."""


def tiny_scenario(tmp: Path, *, speed: float = 180.0) -> Any:
    """Two stores, 15 simulated minutes: an ERP outage and store 1 offline for a while."""
    path = tmp / "tiny.yaml"
    path.write_text(TINY_YAML.format(speed=speed))
    return scenarios.load(str(path))


def script_connector(*flags: str) -> str:
    """The command of the minimal user connector (a script following the contract)."""
    return " ".join([sys.executable, str(SCRIPT_CONNECTOR), *flags])


def processes_mentioning(text: str) -> list[int]:
    """Pids (other than ours) whose command line or environment contains ``text``."""
    found = []
    needle = text.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        for name in ("cmdline", "environ"):
            try:
                if needle in (entry / name).read_bytes():
                    found.append(int(entry.name))
                    break
            except OSError:
                continue
    return found

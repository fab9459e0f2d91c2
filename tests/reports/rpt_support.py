"""Run directories for the report tests: a small synthetic live run and a traffic-only run."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import scenarios
from reports.benchmark import Synthetic, write_synthetic_run
from simulator import simulate_traffic

SMALL = Synthetic(transactions=3_000, stores=3, skus=16, duration_s=4 * 3600.0, seed=11)
"""Four hours, ERP outage from 01:00 to 01:15 after the start, verdict in summary.json."""


def live_run(root: Path, name: str = "live", **changes: Any) -> Path:
    return write_synthetic_run(root / name, dataclasses.replace(SMALL, **changes))


def traffic_run(root: Path) -> Path:
    """A traffic-only run from the real simulator (two stores, four hours)."""
    scenario = scenarios.load("demo").with_overrides(
        **{"chain.stores": 2, "duration": "4h", "catalog.skus": 120}
    )
    run = root / "traffic"
    simulate_traffic(scenario, run)
    (run / "summary.json").write_text('{"kind": "traffic", "traffic": {}}\n')
    return run

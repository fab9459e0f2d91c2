"""The reference real-time connector end to end through `tillbench run`: demo-like traffic
(an ERP outage, a store offline, duplicate webhooks) with nothing missing or doubled and
stock converging (ERP → POS price sync is recorded, not required: its pace is the
connector's)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from live_support import processes_mentioning
from typer.testing import CliRunner

from tillbench.cli import app

pytest.importorskip("connectors.realtime")

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

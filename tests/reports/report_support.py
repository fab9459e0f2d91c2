"""Run directories for the report tests: a small synthetic live run, a traffic-only run,
a simulated run, a saturation load run, Locust CSVs and a sweep directory."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import scenarios
from benchmarks.report_build import Synthetic, write_synthetic_run
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


def _step(
    offered: float, achieved: float, e2e: float | str | None, **verdicts: str
) -> dict[str, Any]:
    judged = {"errors": "ok", "request_p95": "ok", "served": "ok", "e2e_p95": "ok"}
    judged |= {"backlog": "ok"} | verdicts
    broken = [v for v in judged.values() if v not in ("ok", "unmeasured")]
    return {
        "offered_rps": offered,
        "achieved_rps": achieved,
        "committed_rps": None if e2e is None else achieved * 0.95,
        "e2e_p95_s": e2e,
        "p95_ms": 40.0 * offered,
        "median_ms": 20.0 * offered,
        "error_rate": 0.0,
        "requests": int(offered * 6),
        "accepted": int(offered * 6),
        "uncommitted": 0,
        "backlog_slope": 0.1 * offered if not broken else 2.0 * offered,
        "backlog_stderr": 0.05,
        "backlog_window_s": 4.5,
        "drain_s": None if e2e is None else 2.5,
        "duration_s": 6.0,
        "breach": broken[0] if broken else None,
        "verdicts": judged,
    }


SATURATION_STEPS = [
    _step(4.0, 4.0, 0.5),
    _step(6.0, 6.1, 0.9),
    _step(
        9.0,
        8.2,
        "inf",
        e2e_p95="end-to-end p95 ∞ (sales never committed) > 2 s",
        backlog="backlog growth 18.00 items/s > 0.45 (5% of offered), +81 over the step",
    ),
    _step(7.5, 7.4, 2.4, e2e_p95="end-to-end p95 2.40 s > 2 s"),
]
"""A search through the integration: up 4 → 6 → 9 req/s, 9 breaks, bisected to 7.5 (breaks)."""


def saturation_json(run: Path, steps: list[dict[str, Any]] | None = None, **changes: Any) -> Path:
    """``saturation.json`` as `tillbench load --shape saturate` writes it."""
    body = {
        "sustainable_rps": 6.1,
        "broke": True,
        "slo": {
            "p95_ms": 1000.0,
            "error_rate": 0.01,
            "min_served": 0.9,
            "e2e_p95_s": 2.0,
            "backlog_growth": 0.05,
            "backlog_floor": 2.0,
            "backlog_z": 2.0,
        },
        "settings": {"target": "integration", "step_s": 6.0},
        "steps": SATURATION_STEPS if steps is None else steps,
    } | changes
    file = run / "saturation.json"
    file.write_text(json.dumps(body, indent=2))
    return file


def load_run(root: Path, name: str = "load") -> Path:
    """A saturation load run: a live run without the tables Locust-driven runs never have,
    ``run.json`` with a ``load`` key, ``saturation.json`` and the Locust CSVs tillbench load
    leaves in ``locust/`` (the step table, the whole search's history, per-step files)."""
    run = live_run(root, name)
    for table in ("driver/sent", "truth/queue", "truth/stock_final", "truth/stock_outs"):
        (run / f"{table}.parquet").unlink()
    meta = json.loads((run / "run.json").read_text())
    meta["load"] = {"shape": "saturate", "rate": 4.0, "target": "integration"}
    (run / "run.json").write_text(json.dumps(meta))
    saturation_json(run)
    locust = run / "locust"
    (locust / "steps").mkdir(parents=True)
    stamps = np.arange(1_795_000_000, 1_795_000_024)
    pd.DataFrame(
        {
            "Timestamp": stamps,
            "User Count": 4,
            "Type": "",
            "Name": "Aggregated",
            "Requests/s": 4.0,
            "Failures/s": 0.0,
            "50%": 80,
            "95%": 160,
            "99%": 200,
        }
    ).to_csv(locust / "saturation_stats_history.csv", index=False)
    e2e = {"accepted": 441, "committed": 440, "missing": 1, "p50_s": 0.99, "p95_s": 3.19}
    e2e |= {"max_s": math.nan, "settle": {"seconds": 2.56, "settled": True, "backlog": 0.0}}
    (locust / "e2e.json").write_text(json.dumps(e2e))
    pd.DataFrame({"step": [1, 2, 3, 4], "verdict": ["ok", "ok", "broke", "broke"]}).to_csv(
        locust / "saturation_stats.csv", index=False
    )
    pd.DataFrame(
        {"Type": ["POST"], "Name": ["/step/only"], "Request Count": [24], "Failure Count": [0]}
    ).to_csv(locust / "steps/step-01_stats.csv", index=False)
    return run


def simulated_run(root: Path) -> Path:
    """A run as the capacity model writes it: no wall clock, aggregated drift, capacity.json;
    its ERP document lines lost, so its verdict cannot be re-derived."""
    run = live_run(root, "sim", verdict=False)
    meta = json.loads((run / "run.json").read_text())
    meta.update(kind="simulation", speed=None, wall_origin=None)
    (run / "run.json").write_text(json.dumps(meta))
    t = np.arange(0.0, 4 * 3600.0, 60.0)
    pd.DataFrame(
        {
            "t": t,
            "abs_units": (t // 600).astype("int64"),
            "pairs_off": np.full(t.size, 12, "int64"),
            "max_abs": np.ones(t.size, "int64"),
            "oversell_units": np.zeros(t.size, "int64"),
        }
    ).to_parquet(run / "samples/drift.parquet")
    capacity = {
        "api_calls_per_sale": 1.5,
        "mode": "batch",
        "sync_latency_s": {"p95": 42.0},
        "convergence": [{"fault": 1, "target": "erp", "kind": "outage", "converged_s": None}],
    }
    (run / "capacity.json").write_text(json.dumps(capacity))
    (run / "summary.json").write_text(json.dumps({"kind": "simulation", "capacity": capacity}))
    (run / "erp/document_lines.parquet").unlink()
    (run / "verify-skipped.txt").write_text("erp/document_lines.parquet is missing")
    return run


def locust_csvs(run: Path) -> None:
    """Locust's ``load_stats.csv`` and ``load_stats_history.csv`` under ``run/locust``."""
    (run / "locust").mkdir(parents=True)
    stamps = np.arange(1_700_000_000, 1_700_000_060, 5)
    pd.DataFrame(
        {
            "Timestamp": stamps,
            "User Count": np.arange(stamps.size),
            "Type": "",
            "Name": "Aggregated",
            "Requests/s": np.linspace(0, 50, stamps.size),
            "Failures/s": 0.0,
            "50%": 20,
            "95%": 80,
            "99%": 120,
        }
    ).to_csv(run / "locust/load_stats_history.csv", index=False)
    pd.DataFrame(
        {
            "Type": ["POST", ""],
            "Name": ["/driver/v1/transactions", "Aggregated"],
            "Request Count": [1234, 1234],
            "Failure Count": [2, 2],
        }
    ).to_csv(run / "locust/load_stats.csv", index=False)


def sweep_dir(folder: Path) -> Path:
    """A sweep directory: ``sweep.parquet`` over two keys and ``sweep.json``."""
    folder.mkdir()
    rows = [
        {
            "integration.interval": i,
            "erp.concurrency": str(c),
            "sync_p95_s": s,
            "api_calls_per_sale": a,
        }
        for (i, c, s, a) in [
            ("1m", 2, 40.0, 1.0),
            ("5m", 2, 200.0, 0.3),
            ("15m", 2, 600.0, 0.1),
            ("1m", 5, 30.0, 1.0),
            ("5m", 5, 180.0, 0.3),
            ("15m", 5, 560.0, 0.1),
        ]
    ]
    pd.DataFrame(rows).to_parquet(folder / "sweep.parquet")
    sweep = {"erp.concurrency": ["2", "5"], "integration.interval": ["1m", "5m", "15m"]}
    (folder / "sweep.json").write_text(json.dumps({"sweep": sweep}))
    return folder


def saturation_rows(html: str) -> list[str]:
    """The rows of the report's saturation step table."""
    table = html.split('id="saturation-steps"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", table.split("<tbody>", 1)[1])


def erp_only_steps() -> list[dict[str, Any]]:
    """`SATURATION_STEPS` as a search against the ERP alone records them: nothing end to end."""
    return [
        dict(
            s,
            e2e_p95_s=None,
            committed_rps=None,
            backlog_slope=None,
            backlog_stderr=None,
            drain_s=None,
        )
        for s in SATURATION_STEPS
    ]

"""Benchmark of the integration model: one day of the 1,000-store chain, per mode.

The chain's traffic (about 2 million POS documents) is simulated once, then timed apart
from the model: for each mode the fast path alone (``model_s``) and the whole
`simulate_integration` (``total_s``: reading the truth, the model, drift on the minute
grid, writing the tables). ``quick`` runs 100 stores instead.

Run it with ``python -m benchmarks.capacity_model [--quick]`` (prints JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import scenarios
from simulator.integration.run import simulate_integration
from simulator.traffic import simulate_traffic

__all__ = ["run"]

SCENARIO = "chain-1000"
QUICK_STORES = 100
MODES = ("realtime", "batch", "hybrid")


def run(quick: bool = False) -> dict[str, Any]:
    """Time the traffic once and the integration model per mode; JSON-ready."""
    scenario = scenarios.load(SCENARIO)
    if quick:
        scenario = scenario.with_overrides(**{"chain.stores": QUICK_STORES})
    result: dict[str, Any] = {"scenario": SCENARIO, "stores": scenario.chain.stores}
    with tempfile.TemporaryDirectory(prefix="tillbench-capacity-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        traffic = simulate_traffic(scenario, root)
        result["traffic_s"] = round(time.perf_counter() - started, 2)
        result["transactions"] = traffic.transactions + traffic.returns
        for mode in MODES:
            point = scenario.with_overrides(**{"integration.mode": mode})
            started = time.perf_counter()
            figures = simulate_integration(point, root)
            total = time.perf_counter() - started
            result[mode] = {
                "total_s": round(total, 2),
                "model_s": round(figures["elapsed_s"]["model"], 2),
                "requests": figures["requests"],
                "documents_per_s": round(figures["documents"] / total),
                "sync_p95_s": round(figures["sync_latency_s"]["p95"] or 0.0, 1),
                "api_calls_per_sale": round(figures["api_calls_per_sale"], 4),
                "status_429": figures["status_429"],
                "erp_utilisation": round(figures["erp_utilisation"], 3),
            }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_STORES} stores")
    args = parser.parse_args(argv)
    json.dump(run(quick=args.quick), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the traffic simulator: the fast path against the naive SimPy model.

`run` measures, in one process and on the same scenario slice (20 stores × 7 days of the
grocery chain), the naive SimPy model (one process per customer, lane ``Resource``s, baskets
built in Python) and the fast path all the way to Parquet, and reports customers per second
for both and their ratio. The world (catalog, stores, customers) is built once, timed apart,
and shared by both. It then times a whole 1,000-store chain-day to Parquet, world included,
and records peak RSS. Wall and CPU times are both reported: the fast path writes Parquet on
a second thread.

Run it with ``python -m benchmarks.simulation [--quick]`` (prints JSON); ``make bench`` calls
`run` through tillbench's bench runner.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import scenarios
from benchmarks.naive_simpy import naive_simpy_traffic
from simulator.params import Params
from simulator.traffic import simulate_params
from simulator.world import build_world_from_params

__all__ = ["run"]

SLICE_SCENARIO = "grocery-chain"
CHAIN_SCENARIO = "chain-1000"
SLICE_STORES, SLICE_DAYS = 20, 7
"""the naive model's share: ~300k customers, 10–20 s"""
QUICK_SLICE_STORES, QUICK_SLICE_DAYS = 4, 2
QUICK_CHAIN_STORES = 100


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(quick: bool = False) -> dict[str, Any]:
    """Measure both models side by side and the chain-day; returns a JSON-ready dict."""
    stores, days = (QUICK_SLICE_STORES, QUICK_SLICE_DAYS) if quick else (SLICE_STORES, SLICE_DAYS)
    params = Params.from_scenario(scenarios.load(SLICE_SCENARIO))
    params = params.with_changes(stores=min(stores, params.stores), duration_s=days * 86_400.0)
    world, world_wall, _ = _timed(lambda: build_world_from_params(params))

    with tempfile.TemporaryDirectory(prefix="tillbench-bench-") as tmp:
        root = Path(tmp)
        naive, naive_wall, naive_cpu = _timed(
            lambda: naive_simpy_traffic(params=params, world=world, out_dir=root / "naive")
        )
        fast, fast_wall, fast_cpu = _timed(
            lambda: simulate_params(params, root / "fast", world=world)
        )

        chain = Params.from_scenario(scenarios.load(CHAIN_SCENARIO))
        if quick:
            chain = chain.with_changes(stores=QUICK_CHAIN_STORES)
        chain_summary, chain_wall, chain_cpu = _timed(
            lambda: simulate_params(chain, root / "chain")
        )
        out_bytes = sum(p.stat().st_size for p in (root / "chain").rglob("*.parquet"))

    naive_rate = naive.customers / naive_wall
    fast_rate = fast.customers / fast_wall
    return {
        "quick": quick,
        "slice": {
            "scenario": SLICE_SCENARIO,
            "stores": params.stores,
            "days": params.days,
            "world_build_s": world_wall,
            "naive_simpy": {
                "customers": naive.customers,
                "wall_s": naive_wall,
                "cpu_s": naive_cpu,
                "customers_per_s": naive_rate,
            },
            "fast_path": {
                "customers": fast.customers,
                "wall_s": fast_wall,
                "cpu_s": fast_cpu,
                "customers_per_s": fast_rate,
            },
            "speedup": fast_rate / naive_rate,
            "speedup_cpu": (fast.customers / fast_cpu) / (naive.customers / naive_cpu),
        },
        "chain_day": {
            "scenario": CHAIN_SCENARIO,
            "stores": chain.stores,
            "customers": chain_summary.customers,
            "transactions": chain_summary.transactions,
            "wall_s": chain_wall,
            "cpu_s": chain_cpu,
            "customers_per_s": chain_summary.customers / chain_wall,
            "parquet_bytes": out_bytes,
        },
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small slice and a 100-store chain")
    args = parser.parse_args(argv)
    json.dump(run(quick=args.quick), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

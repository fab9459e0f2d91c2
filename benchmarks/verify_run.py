"""`make bench`: verify a synthetic live run with 1M transactions.

The run directory comes from `benchmarks.report_build.write_synthetic_run` (one line per
transaction, a correct ERP). The baseline in the same run is reading every Parquet table
of that directory with pyarrow: verification cannot be faster than reading its inputs, so
``verify_over_read`` says how much the joins and checks cost on top. The target is
verification under 30 s for a million transactions (``target_verify_s``); CPU seconds are
reported beside wall seconds because other load on the machine inflates only the latter.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from benchmarks.report_build import Synthetic, write_synthetic_run

__all__ = ["run"]


def _timed(action: Any) -> tuple[Any, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    value = action()
    return value, time.perf_counter() - started, time.process_time() - cpu


def run(quick: bool = False) -> dict[str, Any]:
    """Time `reports.verify` against reading the same tables (50k transactions with ``quick``)."""
    import reports

    n = 50_000 if quick else 1_000_000
    spec = Synthetic(transactions=n, stores=50, skus=200, duration_s=15 * 3600.0, name="verify")
    with tempfile.TemporaryDirectory(prefix="tillbench-verify-bench-") as tmp:
        run_dir = write_synthetic_run(Path(tmp) / "run", spec)
        tables = sorted(run_dir.rglob("*.parquet"))
        _, read_s, read_cpu = _timed(lambda: [pq.read_table(p) for p in tables])
        verdict, verify_s, verify_cpu = _timed(lambda: reports.verify(run_dir))
    if verdict.exactly_once.expected <= 0.9 * n:
        raise RuntimeError(f"verify saw {verdict.exactly_once.expected} of {n} transactions")
    return {
        "transactions": n,
        "tables": len(tables),
        "read_s": round(read_s, 3),
        "read_cpu_s": round(read_cpu, 3),
        "verify_s": round(verify_s, 2),
        "verify_cpu_s": round(verify_cpu, 2),
        "verify_over_read": round(verify_cpu / max(read_cpu, 1e-6), 1),
        "target_verify_s": 30.0,
        "expected": verdict.exactly_once.expected,
        "passed": verdict.passed,
    }

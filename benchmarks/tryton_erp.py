"""Tryton's ceiling: sales/s posted through the connector's `TrytonPos`, printed as JSON.

``python -m benchmarks.tryton_erp [--quick]`` measures, on SQLite and (when
``TILLBENCH_TEST_PG_URL``'s server answers) on PostgreSQL: one writer unbatched, one writer
with 25 and 50 sales per call, two writers unbatched. Each case starts trytond on a fresh
copy of the cached database of a two-store scenario. REFERENCE (Tryton 8.2 as a real ERP):
about 3 sales/s per client unbatched, 10-13/s batched, more clients do not help.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.tryton_load import bench_scenario, post_concurrently, synthetic_sales
from erps.tryton import ErpError, init_database, start_server
from tillbench.live.tryton import master_data

__all__ = ["CASES", "bench_scenario", "main", "run"]

CASES = ((1, 1), (1, 25), (1, 50), (2, 1))
"""(writers, sales per call)"""
_PG_DEFAULT = "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
_PG_DATABASE = "tillbench_tryton_bench"


def run(quick: bool = False, *, pg_url: str | None = None) -> dict[str, Any]:
    """Every case on SQLite, and on PostgreSQL when its server answers.

    `pg_url` defaults to ``TILLBENCH_TEST_PG_URL`` (or the local test server); the benchmark
    uses its own database ``tillbench_tryton_bench`` on that server.
    """
    if pg_url is None:
        pg_url = os.environ.get("TILLBENCH_TEST_PG_URL", _PG_DEFAULT)
    spec = master_data(bench_scenario())
    per_case = 20 if quick else 100
    out: dict[str, Any] = {
        "benchmark": "tryton",
        "quick": quick,
        "sales_per_case": per_case,
        "lines_per_sale": 3,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "sqlite": _cases(spec, per_case, db_url=None),
    }
    try:
        out["postgresql"] = _cases(spec, per_case, db_url=_bench_url(pg_url))
    except ErpError as exc:
        out["postgresql"] = {"skipped": str(exc)}
    return out


def _cases(spec: dict[str, Any], per_case: int, *, db_url: str | None) -> list[dict[str, Any]]:
    results = []
    for number, (writers, batch) in enumerate(CASES):
        with tempfile.TemporaryDirectory(prefix="tillbench-tryton-bench-") as tmp:
            workdir = Path(tmp)
            started = time.perf_counter()
            db = init_database(spec, workdir=workdir, db_url=db_url)
            ready = time.perf_counter() - started
            with start_server(db, workdir=workdir) as server:
                sales = synthetic_sales(
                    spec, per_case, rng=random.Random(number), prefix=f"B{number}"
                )
                result = post_concurrently(
                    server.url,
                    user=server.user,
                    password=server.password,
                    sales=sales,
                    writers=writers,
                    batch=batch,
                )
            results.append({**result.to_json(), "init_s": round(ready, 2)})
    return results


def _bench_url(url: str) -> str:
    base, _sep, _name = url.rpartition("/")
    return f"{base}/{_PG_DATABASE}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 sales per case instead of 100")
    args = parser.parse_args(argv)
    try:
        result = run(quick=args.quick)
    except ErpError as exc:
        sys.stderr.write(f"tryton benchmark: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

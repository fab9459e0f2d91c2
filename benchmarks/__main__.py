"""`make bench`: run every benchmark and write the figures as JSON.

Each benchmark measures the thing under test next to a baseline in the same run and
reports ratios, so the figures mean the same on a faster or slower machine. Results go to
`OUT/<name>.json` and a combined `OUT/bench.json`.

    python -m benchmarks [--out bench] [--quick] [--only simulator,mocks]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# name -> module exposing `run(quick: bool = False) -> dict`
BENCHMARKS: dict[str, str] = {
    "simulator": "benchmarks.simulation",
    "capacity": "benchmarks.capacity_model",
    "mocks": "benchmarks.mock_servers",
    "netsuite": "benchmarks.netsuite_erp",
    "pos": "benchmarks.pos_ingest",
    "reports": "benchmarks.report_build",
    "tryton": "benchmarks.tryton_erp",
    "plugin": "benchmarks.plugin_fixtures",
    "verify": "benchmarks.verify_run",
    "documents": "benchmarks.documents",
    "soak": "benchmarks.soak",
}


def _environment() -> dict[str, Any]:
    import os

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=Path("bench"), help="folder for the JSON")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    args = parser.parse_args(argv)

    names = [n for n in args.only.split(",") if n] or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        known = ", ".join(BENCHMARKS)
        parser.error(f"--only: unknown benchmark {', '.join(unknown)}; known: {known}")
    args.out.mkdir(parents=True, exist_ok=True)
    combined: dict[str, Any] = {"environment": _environment(), "results": {}}
    failed = 0
    for name in names:
        module = importlib.import_module(BENCHMARKS[name])
        run: Callable[..., dict[str, Any]] = module.run
        print(f"bench {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            result = run(quick=args.quick)
        except Exception as exc:  # a failing benchmark must not hide the others' figures
            failed += 1
            result = {"error": f"{type(exc).__name__}: {exc}"}
        result["wall_seconds"] = round(time.perf_counter() - started, 2)
        combined["results"][name] = result
        (args.out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
    (args.out / "bench.json").write_text(json.dumps(combined, indent=2) + "\n")
    print(f"wrote {args.out / 'bench.json'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: start-up of the pytest plugin's fixtures, and what the plugin costs a suite
that does not use it.

- ``fixture_start_s``: entering ``start_pos`` / ``start_erp`` (what ``tillbench_pos`` and
  ``tillbench_erp`` do) for the ``demo`` scenario in process — server up, healthy, seeded —
  median over repeats, warm (modules imported, the scenario's seed data built: every
  fixture after a session's first). ``first_fixture_s``: the session's first, in a fresh
  interpreter (imports and the seed data included).
- Baseline in the same run: the same mock started as a child process, as ``tillbench run``
  starts it (``subprocess_start_s``); the ratio is in-process / subprocess.
- ``plugin_import_ms``: ``import pytest`` with and without the plugin module, in fresh
  interpreters (median), and the difference.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Any

__all__ = ["run"]

_FIRST = (
    "import time; t = time.perf_counter(); "
    "from tillbench.testing import start_pos, start_erp\n"
    "with start_{side}() as h: print(time.perf_counter() - t)"
)


def _median_start(side: str, mode: str, repeats: int) -> float:
    from tillbench.testing import start_erp, start_pos

    starter = start_pos if side == "pos" else start_erp
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        with starter(mode=mode):  # type: ignore[arg-type]
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def _fresh(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return float(out.stdout.strip().splitlines()[-1])


def _import_ms(module: str, repeats: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return 1000 * statistics.median(_fresh(code) for _ in range(repeats))


def run(quick: bool = False) -> dict[str, Any]:
    repeats = 3 if quick else 7
    from tillbench.testing import start_erp, start_pos

    with start_pos(), start_erp():  # imports and the demo's seed data, once
        pass
    result: dict[str, Any] = {"scenario": "demo", "repeats": repeats}
    for side in ("pos", "erp"):
        warm = _median_start(side, "inprocess", repeats)
        child = _median_start(side, "subprocess", max(2, repeats // 3))
        result[side] = {
            "fixture_start_s": round(warm, 3),
            "first_fixture_s": round(_fresh(_FIRST.format(side=side)), 3),
            "subprocess_start_s": round(child, 3),
            "ratio_inprocess_to_subprocess": round(warm / child, 3),
        }
    bare = _import_ms("pytest", repeats)
    with_plugin = _import_ms("pytest, tillbench.testing.plugin", repeats)
    result["plugin_import_ms"] = {
        "pytest": round(bare, 1),
        "pytest_and_plugin": round(with_plugin, 1),
        "added": round(with_plugin - bare, 1),
    }
    return result

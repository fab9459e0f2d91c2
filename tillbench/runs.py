"""Run directories: `OUT/<timestamp>-<scenario>/`, the contract between producers and reports."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

DEFAULT_OUT = Path("runs")

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def new_run_dir(out: Path, scenario_name: str, *, now: dt.datetime | None = None) -> Path:
    """Create and return a fresh run directory under `out`.

    The name is the wall-clock start (UTC, to the second) and the scenario name; a numeric
    suffix keeps two runs started in the same second apart.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    base = f"{stamp}-{_UNSAFE.sub('-', scenario_name).strip('-') or 'scenario'}"
    out.mkdir(parents=True, exist_ok=True)
    for n in range(1000):
        candidate = out / (base if n == 0 else f"{base}.{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{out}: too many runs named {base}; clean up old runs")


__all__ = ["DEFAULT_OUT", "new_run_dir"]

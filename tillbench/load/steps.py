"""One saturation step as a short headless Locust run at a constant offered rate."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path

from tillbench.load.locust import run_locust
from tillbench.load.saturate import Step
from tillbench.load.stats import AGGREGATED, read_stats, steady_rate

__all__ = ["locust_step"]


def locust_step(
    file: Path,
    *,
    host: str,
    out_dir: Path,
    settings: Mapping[str, str],
    request: str,
    step_s: float,
    user_rate: float,
    workers: int = 0,
    user_classes: tuple[str, ...] = (),
) -> Callable[[float], Step]:
    """A step runner for `saturate.search`: each call runs ``file`` with the ``constant``
    shape at the offered rate for ``step_s`` seconds and reads the request name ``request``
    (or ``"Aggregated"``) from its statistics; CSVs go to ``out_dir/step-NN_*``. The rate is
    spread evenly over ⌈rate / user_rate⌉ users so the offered rate is exactly ``rate``."""
    count = [0]

    def run(rate: float) -> Step:
        count[0] += 1
        users = max(1, math.ceil(rate / user_rate - 1e-9))
        prefix = f"step-{count[0]:02d}"
        result = run_locust(
            file,
            host=host,
            out_dir=out_dir,
            prefix=prefix,
            workers=workers,
            user_classes=user_classes,
            settings={
                **settings,
                "TILLBENCH_SHAPE": "constant",
                "TILLBENCH_RATE": f"{rate:.4f}",
                "TILLBENCH_USER_RATE": f"{rate / users:.6f}",
                "TILLBENCH_DURATION": f"{step_s:.3f}",
            },
            timeout_s=step_s * 4 + 120,
        )
        stats = read_stats(result.stats_csv)
        row = stats.get(request) or stats[AGGREGATED]
        return Step(
            offered_rps=rate,
            achieved_rps=steady_rate(result.history_csv, row.name) or row.rps,
            p95_ms=row.p95_ms,
            median_ms=row.median_ms,
            error_rate=row.error_rate,
            requests=row.requests,
        )

    return run

"""One saturation step as a short headless Locust run at a constant offered rate.

`locust_step` loads the ERP alone (invoices posted straight to it); `integration_step`
loads the registers at the POS with the connector in the loop and judges the step
end to end: while Locust runs, the connector's backlog is sampled (`BacklogProbe`); after
it, the connector is given up to ``drain_s`` to clear the backlog (`wait_settled`), then the
step's accepted sales are joined with their ERP commits (`e2e`). Every step's CSVs go to
``out_dir/step-NN_*`` and its acceptances to ``out_dir/step-NN-accepted/``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from pathlib import Path

from tillbench.load.backlog import BacklogProbe
from tillbench.load.e2e import accept_rows, accepted, end_to_end
from tillbench.load.invoices import InvoiceTail
from tillbench.load.locust import LocustResult, run_locust
from tillbench.load.saturate import Step
from tillbench.load.settle import JournalTail, wait_settled
from tillbench.load.stats import AGGREGATED, read_stats, steady_rate

__all__ = ["Integration", "integration_step", "locust_step"]


def _constant(
    settings: Mapping[str, str], rate: float, step_s: float, user_rate: float
) -> dict[str, str]:
    users = max(1, math.ceil(rate / user_rate - 1e-9))
    return {
        **settings,
        "TILLBENCH_SHAPE": "constant",
        "TILLBENCH_RATE": f"{rate:.4f}",
        "TILLBENCH_USER_RATE": f"{rate / users:.6f}",
        "TILLBENCH_DURATION": f"{step_s:.3f}",
    }


def _figures(result: LocustResult, request: str, rate: float, step_s: float) -> Step:
    stats = read_stats(result.stats_csv)
    row = stats.get(request) or stats[AGGREGATED]
    return Step(
        offered_rps=rate,
        achieved_rps=steady_rate(result.history_csv, row.name) or row.rps,
        p95_ms=row.p95_ms,
        median_ms=row.median_ms,
        error_rate=row.error_rate,
        requests=row.requests,
        duration_s=step_s,
    )


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
    (or ``"Aggregated"``) from its statistics. The rate is spread evenly over
    ⌈rate / user_rate⌉ users so the offered rate is exactly ``rate``."""
    count = [0]

    def run(rate: float) -> Step:
        count[0] += 1
        result = run_locust(
            file,
            host=host,
            out_dir=out_dir,
            prefix=f"step-{count[0]:02d}",
            workers=workers,
            user_classes=user_classes,
            settings=_constant(settings, rate, step_s, user_rate),
            timeout_s=step_s * 4 + 120,
        )
        return _figures(result, request, rate, step_s)

    return run


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Integration:
    """What an end-to-end step observes: the connector and the ERP's journal."""

    connector_url: str
    journal: JournalTail
    invoices: InvoiceTail
    drain_s: float
    """Longest wait after a step for the connector to clear its backlog."""
    patience_s: float = 5.0
    """See `settle.wait_settled`."""
    warmup: float = 0.25
    """Share of the step, from its first accepted transaction, whose backlog samples are
    left out: the backlog rises to its level while the first sales are in flight."""


def integration_step(
    file: Path,
    *,
    host: str,
    out_dir: Path,
    settings: Mapping[str, str],
    step_s: float,
    user_rate: float,
    observe: Integration,
    workers: int = 0,
) -> Callable[[float], Step]:
    """A step runner for `saturate.search` through the integration (module docstring):
    ``file``'s ``Register`` users at the POS, judged on the end-to-end p95 of the step's
    sales, errors and the backlog's growth."""
    count = [0]

    def run(rate: float) -> Step:
        count[0] += 1
        prefix = f"step-{count[0]:02d}"
        accept_dir = out_dir / f"{prefix}-accepted"
        probe = BacklogProbe(observe.connector_url).start()
        try:
            result = run_locust(
                file,
                host=host,
                out_dir=out_dir,
                prefix=prefix,
                workers=workers,
                user_classes=("Register",),
                settings={
                    **_constant(settings, rate, step_s, user_rate),
                    "TILLBENCH_ACCEPT_DIR": str(accept_dir),
                },
                timeout_s=step_s * 4 + 120,
            )
        finally:
            probe.stop()
        step = _figures(result, AGGREGATED, rate, step_s)
        walls = [a.wall for a in accept_rows(accept_dir)]
        first, last = (min(walls), max(walls)) if walls else (0.0, 0.0)
        start = first + observe.warmup * (last - first)
        growth = probe.growth(start, last)
        sales = accepted(accept_dir)
        settled = wait_settled(
            observe.journal,
            invoices=observe.invoices,
            accepted=lambda: sales,
            probe=probe if probe.available else None,
            timeout_s=observe.drain_s,
            patience_s=observe.patience_s,
        )
        commits = observe.invoices.commits
        joined = end_to_end(sales, commits)
        window = last - start
        in_window = sum(1 for done in commits.values() if start <= done <= last)
        return dataclasses.replace(
            step,
            e2e_p95_s=joined.percentile_all(0.95) if sales else None,
            accepted=joined.accepted,
            uncommitted=joined.accepted - joined.committed,
            committed_rps=in_window / window if window > 0 else None,
            backlog_slope=None if growth is None else growth.slope,
            backlog_stderr=None if growth is None else growth.stderr,
            backlog_window_s=last - start,
            drain_s=settled.seconds,
        )

    return run

"""`tillbench simulate --sweep`: the capacity model over a grid of scenario values.

``--sweep integration.interval=1m,5m,15m --sweep erp.concurrency=2,5`` is a 3 × 2 grid;
each point is a full simulation (its own run directory under the sweep directory) run
through a `concurrent.futures` executor: local processes by default, a Dask distributed
cluster when given a scheduler address. When only ``integration.*``, ``erp.*``, ``slo.*``
or ``faults`` are swept, the store traffic is the same at every point: it is simulated
once and shared (``traffic/``).

A real-time point has no batch interval: with ``integration.mode`` and
``integration.interval`` both swept, real time is simulated once (its interval shows "—").
Points are judged from their capacity figures (`tillbench.decision`): each objective
passes or fails, the binding constraint is named, and the sweep ends with its decision.
Points are neither verified nor given a report of their own (``tillbench verify`` or
``tillbench report`` on a point's directory does that).

The sweep directory holds ``sweep.parquet`` and ``sweep.json``: one row per point, the
swept keys (as written), the headline figures, each objective's pass/fail and the binding
constraint; ``sweep.json`` adds the objectives, the decision and, when ``integration.mode``
is swept, the comparison of real time with batch (API calls against sync latency);
``report.html`` shows the decision first, then the curves (`reports.build_sweep_report`).
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

import scenarios
from tillbench.decision import Decision, Objective, binding, decide, judge, objectives
from tillbench.runs import new_run_dir

if TYPE_CHECKING:
    from scenarios import Scenario

__all__ = [
    "FIGURES",
    "SweepError",
    "SweepResult",
    "breakeven",
    "check_points",
    "find_boundary",
    "grid",
    "parse_sweeps",
    "run_sweep",
]

FIGURES = (
    "sync_p50_s",
    "sync_p95_s",
    "sync_p99_s",
    "sync_max_s",
    "max_backlog",
    "erp_utilisation",
    "erp_peak_hour_utilisation",
    "window_peak_share",
    "requests",
    "status_429",
    "status_429_window",
    "status_429_queue",
    "status_5xx",
    "retries",
    "dead_letters",
    "uncommitted",
    "api_calls_per_sale",
    "api_calls_per_day",
    "peak_drift_units",
    "peak_pairs_off",
    "peak_drift_pct",
    "peak_drift_units_pct",
    "mean_drift_units",
    "oversell_exposure_units_peak",
    "converged_after_traffic_s",
    "converged_after_faults_s",
    "converged_s",
)
"""Headline figures per sweep point (columns of sweep.parquet after the swept keys)."""

_MODEL_ONLY = ("integration.", "erp.", "slo.")
_NO_LIMIT = 2**62
"""Memory taken as free for points run elsewhere (a Dask cluster, a given executor): only
the limit on transactions applies."""


class SweepError(ValueError):
    """A `--sweep` option that is not ``dotted.key=v1,v2,…``."""


def parse_sweeps(items: Iterable[str]) -> dict[str, list[object]]:
    """``["erp.concurrency=2,5"]`` → ``{"erp.concurrency": [2, 5]}`` (YAML scalars, read as
    `scenarios.parse_value` reads them: ``12:00`` stays text)."""
    out: dict[str, list[object]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        values = [v.strip() for v in raw.split(",") if v.strip()]
        if not sep or not key or not values:
            raise SweepError(
                f"--sweep {item!r}: expected KEY=V1,V2,…, e.g. integration.interval=1m,5m,15m"
            )
        if key in out:
            raise SweepError(f"--sweep {item!r}: {key} is swept twice; list all values once")
        out[key] = [_scalar(v, key) for v in values]
    return out


def _scalar(raw: str, key: str) -> object:
    try:
        return scenarios.parse_value(raw, where=f"--sweep {key}")
    except scenarios.ScenarioError as exc:
        raise SweepError(exc.lines[0]) from None


NOT_APPLICABLE = "—"
"""the value of a swept key that does not apply to a point (real time has no interval)"""


def grid(sweeps: dict[str, list[object]]) -> list[dict[str, object]]:
    """Every combination of the swept values, the first key varying slowest; a real-time
    point has no batch interval, so it appears once with the interval "—"."""
    keys = list(sweeps)
    out: list[dict[str, object]] = []
    for combo in itertools.product(*sweeps.values()):
        point = dict(zip(keys, combo, strict=True))
        if point.get("integration.mode") == "realtime" and "integration.interval" in point:
            point["integration.interval"] = NOT_APPLICABLE
        if point not in out:
            out.append(point)
    return out


def _applied(point: dict[str, object]) -> dict[str, object]:
    """The overrides of a point (keys that do not apply left out)."""
    return {k: v for k, v in point.items() if v != NOT_APPLICABLE}


@dataclasses.dataclass(frozen=True, slots=True)
class SweepResult:
    """A finished sweep: its directory, one row per point, and the mode comparison."""

    sweep_dir: Path
    keys: list[str]
    rows: list[dict[str, Any]]
    comparison: list[dict[str, Any]]
    objectives: list[Objective] = dataclasses.field(default_factory=list)
    decision: Decision | None = None
    report: Path | None = None

    @property
    def exit_code(self) -> int:
        """0 a point meets every objective, 1 none does."""
        return 1 if self.decision is None else self.decision.exit_code


def _row(point: dict[str, object], run_dir: Path, figures: dict[str, Any]) -> dict[str, Any]:
    lat = figures["sync_latency_s"]
    converged = [c["converged_s"] for c in figures["convergence"]]
    after_faults = None if None in converged or not converged else max(converged)
    after_traffic = figures.get("converged_after_traffic_s")
    settled = [after_traffic, *converged]  # None: drift never settled (the objective fails)
    values = {
        "sync_p50_s": lat["p50"],
        "sync_p95_s": lat["p95"],
        "sync_p99_s": lat["p99"],
        "sync_max_s": lat["max"],
        "converged_after_faults_s": after_faults,
        "converged_s": None if None in settled else max(settled),
        **{k: figures[k] for k in FIGURES if k in figures},
    }
    limits = figures.get("limits", {})
    return {
        **{k: str(v) for k, v in point.items()},
        **values,
        "integration_mode": figures["mode"],
        "interval_s": limits.get("interval_s"),
        "connector_workers": limits.get("workers"),
        "erp_concurrency": limits.get("concurrency"),
        "run_dir": run_dir.name,
    }


def simulate_point(
    scenario_path: str, point: dict[str, object], run_dir: str, traffic_from: str | None
) -> dict[str, Any]:
    """One sweep point in a worker: load, override, simulate; returns its row."""
    from tillbench.simulate import run_simulation

    scenario = scenarios.override(scenarios.load(scenario_path), _applied(point))
    result = run_simulation(
        scenario,
        run_dir=Path(run_dir),
        traffic_from=None if traffic_from is None else Path(traffic_from),
        finish=False,
    )
    return _row(point, result.run_dir, result.figures)


def _point_name(index: int, point: dict[str, object]) -> str:
    label = "-".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in _applied(point).items())
    safe = "".join(ch if ch.isalnum() or ch in "=.-_" else "_" for ch in label)
    return f"{index:03d}-{safe}"[:120]


def check_points(
    scenario: Scenario,
    sweeps: dict[str, list[object]],
    *,
    local: bool = True,
    workers: int | None = None,
) -> None:
    """Raise `scenarios.ScenarioError` (one line) for the first point of the grid that is
    not a valid scenario or would not fit: ``local`` points in their share of this
    machine's free memory, as many as run at once (``workers``, default the CPU count);
    points run elsewhere only against the limit on transactions."""
    points = grid(sweeps)
    at_once = min(len(points), workers or os.cpu_count() or 1) if local else 1
    free = scenarios.available_memory() if local else _NO_LIMIT
    for point in points:
        trial = scenarios.override(scenario, _applied(point))
        scenarios.check_work(
            trial,
            run="simulate",
            source=f"--sweep {', '.join(f'{k}={v}' for k, v in point.items())}",
            available=None if free is None else free // at_once,
        )


def run_sweep(
    scenario: Scenario,
    sweeps: dict[str, list[object]],
    *,
    out: Path,
    executor: cf.Executor | None = None,
    dask_scheduler: str | None = None,
    max_workers: int | None = None,
    progress: Any = None,
    asked: dict[str, str] | None = None,
    report: bool = True,
) -> SweepResult:
    """Simulate every point of the grid and decide; see the module docstring.

    ``executor`` wins over ``dask_scheduler``; without either, a process pool of
    ``max_workers`` (default: the CPU count) runs the points. Every point is checked with
    `scenarios.check_work` first (locally: each in its share of the free memory, as many
    run at once), so a point too large for the machine stops the sweep before it starts.
    ``asked`` are the objectives of ``--slo`` (`tillbench.decision.objectives`);
    ``progress(done, total, step)`` is told of the shared traffic and of each finished point.
    """
    points = grid(sweeps)
    check_points(
        scenario, sweeps, local=executor is None and dask_scheduler is None, workers=max_workers
    )
    objs = objectives(scenario, asked=asked)
    total = len(points) + 1
    sweep_dir = new_run_dir(out, f"{scenario.name}-sweep")
    base = sweep_dir / "scenario.yaml"
    base.write_text(scenarios.dump(scenario), encoding="utf-8")
    traffic_from: str | None = None
    if all(k.startswith(_MODEL_ONLY) or k == "faults" for k in sweeps):
        shared = sweep_dir / "traffic"
        shared.mkdir()
        from tillbench.simulate import share_traffic

        if progress is not None:
            progress(0, total, "store traffic")
        share_traffic(
            scenario,
            shared,
            progress=None if progress is None else (lambda step: progress(0, total, step)),
        )
        traffic_from = str(shared)
    if progress is not None:
        progress(1, total, f"{len(points)} points")
    with _Pool(executor, dask_scheduler, max_workers) as pool:
        futures = {
            pool.submit(
                simulate_point,
                str(base),
                point,
                str(sweep_dir / _point_name(i, point)),
                traffic_from,
            ): i
            for i, point in enumerate(points)
        }
        rows: list[dict[str, Any] | None] = [None] * len(points)
        for done, future in enumerate(cf.as_completed(futures), start=2):
            i = futures[future]
            rows[i] = future.result()
            if progress is not None:
                label = " ".join(str(v) for v in _applied(points[i]).values())
                progress(done, total, f"{label} done")
    table_rows = [r for r in rows if r is not None]
    return _decide_and_write(
        scenario, sweeps, sweep_dir, table_rows, objs, report=report, comparison=True
    )


def _decide_and_write(
    scenario: Scenario,
    sweeps: dict[str, list[object]],
    sweep_dir: Path,
    table_rows: list[dict[str, Any]],
    objs: list[Objective],
    *,
    report: bool,
    comparison: bool,
) -> SweepResult:
    """Judge every row, decide, write sweep.parquet, sweep.json and report.html."""
    keys = list(sweeps)
    for row in table_rows:
        checks = judge(row, objs)
        for c in checks:
            row[f"meets_{c.name}"] = c.passed
        row["meets_all"] = all(c.passed for c in checks)
        row["binding"] = binding(row)
    decision = decide(table_rows, keys, objs)
    versus = breakeven(table_rows, keys) if comparison and "integration.mode" in sweeps else []
    pq.write_table(pa.Table.from_pylist(table_rows), sweep_dir / "sweep.parquet")
    document = {
        "scenario": scenario.name,
        "keys": keys,
        "sweep": {k: [str(v) for v in vs] for k, vs in sweeps.items()},
        "objectives": [o.to_dict() for o in objs],
        "decision": decision.to_dict(),
        "points": table_rows,
        "comparison": versus,
    }
    (sweep_dir / "sweep.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    page = None
    if report:
        from reports.sweep import build_sweep_report

        page = build_sweep_report(sweep_dir)
    return SweepResult(sweep_dir, keys, table_rows, versus, objs, decision, page)


def find_boundary(
    scenario: Scenario,
    key: str,
    low: int,
    high: int,
    *,
    out: Path,
    progress: Any = None,
    asked: dict[str, str] | None = None,
    report: bool = True,
) -> SweepResult:
    """The smallest whole value of ``key`` in [low, high] that meets every objective, by
    bisection (the objectives are assumed to get easier as the value grows: ERP
    concurrency, window requests, queue). ``high`` is probed first: when it fails, nothing
    in the range passes and the search stops. Every probe is a point of the sweep
    directory; the decision is the boundary."""
    if not key.startswith("erp."):
        raise SweepError(
            f"--find {key}: bisection searches an ERP capacity field "
            "(erp.concurrency, erp.window.requests, erp.queue); sweep other fields with --sweep"
        )
    if low > high:
        raise SweepError(f"--find {key}: --min {low} is above --max {high}")
    scenarios.override(scenario, {key: low})
    scenarios.override(scenario, {key: high})  # fail fast on values the field refuses
    objs = objectives(scenario, asked=asked)
    sweep_dir = new_run_dir(out, f"{scenario.name}-find")
    base = sweep_dir / "scenario.yaml"
    base.write_text(scenarios.dump(scenario), encoding="utf-8")
    traffic_from: str | None = None
    steps = max(1, (high - low).bit_length()) + 2
    if key.startswith(_MODEL_ONLY):
        shared = sweep_dir / "traffic"
        shared.mkdir()
        from tillbench.simulate import share_traffic

        if progress is not None:
            progress(0, steps, "store traffic")
        share_traffic(scenario, shared)
        traffic_from = str(shared)
    rows: list[dict[str, Any]] = []

    def probe(value: int) -> bool:
        point: dict[str, object] = {key: value}
        if progress is not None:
            progress(len(rows) + 1, steps, f"probing {key.rsplit('.', 1)[-1]}={value}")
        row = simulate_point(
            str(base), point, str(sweep_dir / _point_name(len(rows), point)), traffic_from
        )
        rows.append(row)
        return all(c.passed for c in judge(row, objs))

    if probe(high):
        while low < high:
            mid = (low + high) // 2
            if probe(mid):
                high = mid
            else:
                low = mid + 1
    if progress is not None:
        progress(steps, steps, f"{len(rows)} probes")
    rows.sort(key=lambda r: int(r[key]))
    return _decide_and_write(
        scenario,
        {key: [r[key] for r in rows]},
        sweep_dir,
        rows,
        objs,
        report=report,
        comparison=False,
    )


class _Pool:
    """The executor of a sweep: the one given, a Dask client's, or a process pool."""

    def __init__(self, given: cf.Executor | None, scheduler: str | None, workers: int | None):
        self.given, self.scheduler, self.workers = given, scheduler, workers
        self._own: cf.Executor | None = None
        self._client: Any = None

    def __enter__(self) -> cf.Executor:
        if self.given is not None:
            return self.given
        if self.scheduler is not None:
            try:
                from distributed import Client
            except ImportError as exc:  # pragma: no cover - depends on the extra
                raise SweepError(
                    "--dask-scheduler needs the dask extra: pip install 'tillbench[dask]'"
                ) from exc
            self._client = Client(self.scheduler)  # type: ignore[no-untyped-call]
            executor: cf.Executor = self._client.get_executor()
            return executor
        self._own = cf.ProcessPoolExecutor(max_workers=self.workers or os.cpu_count() or 1)
        return self._own

    def __exit__(self, *exc: object) -> None:
        if self._own is not None:
            self._own.shutdown()
        if self._client is not None:
            self._client.close()


def _groups(rows: list[dict[str, Any]], keys: list[str]) -> Iterator[list[dict[str, Any]]]:
    others = [k for k in keys if k != "integration.mode"]
    seen: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in others if k != "integration.interval"), []).append(
            row
        )
    yield from seen.values()


def breakeven(rows: list[dict[str, Any]], keys: list[str]) -> list[dict[str, Any]]:
    """Real time against each batch/hybrid point with the same other swept values.

    For each pair: API calls per sale of both, how many times fewer calls batching makes,
    and the p95 sync latency both pay; ``breaks_even`` is true where batching makes fewer
    calls at no more p95 latency than real time (it saves calls for free: real time
    overloads the ERP); otherwise ``seconds_per_call_saved``
    prices each saved call in p95 latency, which is where an architect draws the line.
    """
    out: list[dict[str, Any]] = []
    for group in _groups(rows, keys):
        realtime = [r for r in group if r.get("integration.mode") == "realtime"]
        if not realtime:
            continue
        rt = realtime[0]
        for other in group:
            if other is rt or other.get("integration.mode") == "realtime":
                continue
            rt_calls, calls = rt["api_calls_per_sale"], other["api_calls_per_sale"]
            rt_p95, p95 = rt["sync_p95_s"] or 0.0, other["sync_p95_s"] or 0.0
            out.append(
                {
                    **{k: other[k] for k in keys},
                    "realtime_calls_per_sale": rt_calls,
                    "calls_per_sale": calls,
                    "calls_saved_factor": rt_calls / calls if calls else None,
                    "realtime_p95_s": rt_p95,
                    "p95_s": p95,
                    "latency_cost_s": p95 - rt_p95,
                    "seconds_per_call_saved": (p95 - rt_p95) / (rt_calls - calls)
                    if rt_calls > calls
                    else None,
                    "breaks_even": calls < rt_calls and p95 <= rt_p95,
                }
            )
    return out

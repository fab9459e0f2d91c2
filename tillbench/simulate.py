"""Orchestrate `tillbench simulate` and `tillbench demo`: run directory, simulator, summary.

`run_traffic` simulates the store traffic alone (``--traffic-only``); `run_simulation`
adds the integration capacity model (`simulator.integration`) and verifies the run
directory exactly as it would a live run. Every run gets its ``report.html``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from domain import Money
from tillbench.runs import new_run_dir
from tillbench.verdicts import finish_run

if TYPE_CHECKING:
    from scenarios import Scenario
    from simulator import TrafficSummary

_BARS = " ▁▂▃▄▅▆▇█"


@dataclasses.dataclass(frozen=True, slots=True)
class TrafficRun:
    """A finished traffic simulation: where it wrote, and what it found."""

    run_dir: Path
    summary: TrafficSummary
    report: Path | None = None

    def render(self, console: Console | None = None) -> None:
        """Print the summary tables, the report and the run directory."""
        out = console or Console()
        render_traffic_summary(self.summary, console=out)
        _print_paths(out, self.report, self.run_dir)


def run_traffic(
    scenario: Scenario,
    *,
    out: Path,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrafficRun:
    """Simulate the scenario's store traffic into a new run directory under `out`."""
    from simulator import simulate_traffic

    run_dir = new_run_dir(out, scenario.name)
    summary = simulate_traffic(scenario, run_dir, seed=seed, progress=progress)
    document: dict[str, Any] = {"kind": "traffic", "traffic": summary.to_dict()}
    (run_dir / "summary.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    finished = finish_run(run_dir, verify=False)
    return TrafficRun(run_dir=run_dir, summary=summary, report=finished.report)


@dataclasses.dataclass(frozen=True, slots=True)
class SimulationRun:
    """A finished simulation of traffic and integration."""

    run_dir: Path
    scenario: str
    traffic: dict[str, Any]
    figures: dict[str, Any]
    verified: bool
    report: Path | None = None
    passed: bool | None = None
    """the verdict (None: not verified)"""

    @property
    def exit_code(self) -> int:
        """0 every SLO met, 1 one failed (the README's exit codes; 0 when not verified)."""
        return 1 if self.passed is False else 0

    def render(self, console: Console | None = None) -> None:
        """Print the capacity figures and the run directory."""
        out = console or Console()
        render_capacity(self.figures, title=f"{self.scenario}: integration", console=out)
        if self.verified:
            verdict = json.loads((self.run_dir / "summary.json").read_text())
            word = "[green]passed[/green]" if verdict.get("passed") else "[red]failed[/red]"
            failed = [s["name"] for s in verdict.get("slos", []) if not s.get("passed")]
            detail = f" ({', '.join(failed)})" if failed else ""
            out.print(f"\nverification: {word}{detail} — summary.json, junit.xml")
        _print_paths(out, self.report, self.run_dir)


def run_simulation(
    scenario: Scenario,
    *,
    out: Path | None = None,
    run_dir: Path | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    traffic_from: Path | None = None,
    verify: bool = True,
    finish: bool = True,
) -> SimulationRun:
    """Traffic and integration model into a new run directory under ``out`` (or ``run_dir``).

    ``traffic_from`` reuses the truth tables (and ``traffic.json``) of a directory written by
    `share_traffic` (sweeps over integration and ERP fields share one traffic simulation).
    ``finish=False`` writes only the capacity figures (``capacity.json``), no tables,
    verification or report: a sweep judges its points from their figures (``tillbench
    simulate`` with the point's values gives the full run directory).
    """
    from simulator import simulate_traffic
    from simulator.integration import simulate_integration

    if seed is not None and seed != scenario.seed:
        scenario = scenario.with_overrides(seed=seed)
    if run_dir is None:
        run_dir = new_run_dir(out or Path("runs"), scenario.name)
    run_dir.mkdir(parents=True, exist_ok=True)
    if traffic_from is None:
        traffic = simulate_traffic(scenario, run_dir, progress=progress).to_dict()
        (run_dir / "traffic.json").write_text(json.dumps(traffic, indent=2, sort_keys=True) + "\n")
    else:
        import scenarios

        (run_dir / "scenario.yaml").write_text(scenarios.dump(scenario), encoding="utf-8")
        (run_dir / "truth").symlink_to((traffic_from / "truth").resolve(), target_is_directory=True)
        traffic = json.loads((traffic_from / "traffic.json").read_text())
    shared = None if traffic_from is None else traffic_from / "moves.pickle"
    figures = simulate_integration(scenario, run_dir, tables=finish, moves_from=shared)
    document: dict[str, Any] = {
        "kind": "simulation",
        "traffic": traffic,
        "capacity": figures,
    }
    (run_dir / "summary.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    if not finish:
        return SimulationRun(run_dir, scenario.name, traffic, figures, verified=False)
    finished = finish_run(run_dir, verify=verify)
    return SimulationRun(
        run_dir=run_dir,
        scenario=scenario.name,
        traffic=traffic,
        figures=figures,
        verified=finished.verdict is not None,
        report=finished.report,
        passed=None if finished.verdict is None else bool(finished.verdict.passed),
    )


def share_traffic(
    scenario: Scenario, directory: Path, *, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Simulate the traffic once into ``directory`` for `run_simulation`'s ``traffic_from``,
    with its stock-moving lines read once (``moves.pickle``) for every point."""
    from simulator import simulate_traffic
    from simulator.integration import save_moves

    traffic = simulate_traffic(scenario, directory).to_dict()
    (directory / "traffic.json").write_text(json.dumps(traffic, indent=2, sort_keys=True) + "\n")
    if progress is not None:
        progress("stock moves")
    save_moves(scenario, directory, directory / "moves.pickle")
    return traffic


def _print_paths(console: Console, report: Path | None, run_dir: Path) -> None:
    console.print()
    if report is not None:
        console.print(f"report: [bold]{report}[/bold]", soft_wrap=True)
    console.print(f"run directory: [bold]{run_dir}[/bold]", soft_wrap=True)


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 120:
        return f"{value / 60:,.1f} min"
    return f"{value:,.2f} s"


def render_capacity(figures: dict[str, Any], *, title: str, console: Console) -> None:
    """Print the headline figures of `simulator.integration` as a table."""
    lat = figures["sync_latency_s"]
    table = Table(title=f"{title} ({figures['mode']})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        (
            "documents posted",
            f"{figures['documents'] - figures['uncommitted']:,} of {figures['documents']:,}",
        ),
        ("sync latency p50 / p95", f"{_seconds(lat['p50'])} / {_seconds(lat['p95'])}"),
        ("sync latency p99 / max", f"{_seconds(lat['p99'])} / {_seconds(lat['max'])}"),
        ("max backlog (documents)", f"{figures['max_backlog']:,}"),
        ("ERP utilisation", f"{figures['erp_utilisation']:.1%}"),
        (
            "API calls (per sale / per day)",
            f"{figures['requests']:,} "
            f"({figures['api_calls_per_sale']:.3f} / {figures['api_calls_per_day']:,.0f})",
        ),
        (
            "429 / 5xx / 409 answers",
            f"{figures['status_429']:,} / {figures['status_5xx']:,} / {figures['status_409']:,}",
        ),
        ("retries / dead letters", f"{figures['retries']:,} / {figures['dead_letters']:,}"),
        (
            "peak drift (units / pairs off / max)",
            f"{figures['peak_drift_units']:,} / "
            f"{figures['peak_pairs_off']:,} / {figures['peak_max_abs_drift']:,}",
        ),
        ("oversell exposure (peak units)", f"{figures['oversell_exposure_units_peak']:,}"),
        ("converged after traffic", _seconds(figures["converged_after_traffic_s"])),
    ]
    rows += [
        (
            f"converged after fault {c['fault']} ({c['target']} {c['kind']})",
            _seconds(c["converged_s"]),
        )
        for c in figures["convergence"]
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


def _money(minor: int, currency: str) -> str:
    money = Money.from_minor(int(minor), currency)
    return f"{money.amount:,} {money.currency}"


def _sparkline(values: list[int]) -> str:
    top = max(values) if values else 0
    if top <= 0:
        return " " * len(values)
    return "".join(_BARS[round(v / top * (len(_BARS) - 1))] for v in values)


def render_traffic_summary(s: TrafficSummary, *, console: Console) -> None:
    """Print a traffic summary as a person would want to read it."""
    head = Table(title=f"{s.scenario} — seed {s.seed}, {s.stores} stores, {s.days} day(s)")
    head.add_column("measure")
    head.add_column("value", justify="right")
    rows: list[tuple[str, str]] = [
        ("customers served", f"{s.customers:,}"),
        ("sales", f"{s.transactions:,}"),
        ("returns", f"{s.returns:,}"),
        ("cancels / post-voids", f"{s.cancels:,} / {s.post_voids:,}"),
        ("units sold", f"{s.units:,}"),
        ("revenue (tax incl.)", _money(s.revenue_minor, s.currency)),
        ("refunds", _money(s.refunds_minor, s.currency)),
        ("stock-out lines / lost units", f"{s.stock_out_lines:,} / {s.lost_units:,}"),
        ("walk-outs (nothing on the shelf)", f"{s.walkouts:,}"),
        ("shrink units (unrecorded)", f"{s.shrink_units:,}"),
        ("units received", f"{s.received_units:,}"),
    ]
    if s.elapsed_s > 0:
        rows.append(("simulated in", f"{s.elapsed_s:.1f} s ({s.customers_per_s:,.0f} customers/s)"))
    for name, value in rows:
        head.add_row(name, value)
    console.print(head)

    queues = Table(title="Checkout queues (waits in seconds)")
    for col in ("lane", "served", "mean", "p95", "p99", "max", "mean queue"):
        queues.add_column(col, justify="left" if col == "lane" else "right", no_wrap=True)
    for lane, q in s.queues.items():
        queues.add_row(
            lane,
            f"{q.customers:,}",
            f"{q.mean_wait_s:.1f}",
            f"{q.p95_wait_s:.1f}",
            f"{q.p99_wait_s:.1f}",
            f"{q.max_wait_s:.1f}",
            f"{q.mean_queue_length:.2f}",
        )
    console.print(queues)

    hours = [h for h, n in enumerate(s.transactions_by_hour) if n]
    if hours:
        lo, hi = min(hours), max(hours) + 1
        console.print(
            f"sales by hour {lo:02d}:00–{hi:02d}:00  "
            f"[cyan]{_sparkline(s.transactions_by_hour[lo:hi])}[/cyan]  "
            f"(peak {max(s.transactions_by_hour):,} at "
            f"{s.transactions_by_hour.index(max(s.transactions_by_hour)):02d}:00)"
        )
    ranked = sorted(s.revenue_by_store.items(), key=lambda kv: kv[1], reverse=True)
    stores = Table(title="Revenue by store" + (" (top 5 and bottom 5)" if len(ranked) > 10 else ""))
    stores.add_column("store")
    stores.add_column("revenue", justify="right")
    shown = ranked if len(ranked) <= 10 else [*ranked[:5], ("…", -1), *ranked[-5:]]
    for store, minor in shown:
        stores.add_row(store, "…" if minor < 0 else _money(minor, s.currency))
    console.print(stores)


__all__ = [
    "SimulationRun",
    "TrafficRun",
    "render_capacity",
    "render_traffic_summary",
    "run_simulation",
    "run_traffic",
    "share_traffic",
]

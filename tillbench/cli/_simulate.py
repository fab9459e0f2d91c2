"""`tillbench simulate`: the trading period's ground truth and the integration capacity model."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from tillbench.cli._app import app
from tillbench.cli._errors import fail, user_errors
from tillbench.cli._options import OutOption, ScenarioArg
from tillbench.cli._progress import progress_bar
from tillbench.decision import DecisionError, parse_objectives, seconds
from tillbench.overrides import OverrideError, Run, load_scenario, parse_overrides
from tillbench.runs import DEFAULT_OUT
from tillbench.simulate import run_simulation, run_traffic
from tillbench.sweep import (
    NOT_APPLICABLE,
    SweepError,
    SweepResult,
    check_points,
    find_boundary,
    parse_sweeps,
    run_sweep,
)


@app.command()
def simulate(
    scenario: ScenarioArg,
    traffic_only: Annotated[
        bool,
        typer.Option(
            "--traffic-only",
            help="Simulate store traffic, baskets, checkout and stock only (the ground truth), "
            "without the integration model.",
        ),
    ] = False,
    out: OutOption = DEFAULT_OUT,
    seed: Annotated[
        int | None,
        typer.Option(help="Override the scenario's seed (same seed → same files, bit for bit)."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Override a scenario field, e.g. --set chain.stores=5 --set duration=2h "
            "(repeatable).",
        ),
    ] = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(
            "--sweep",
            help="Sweep a scenario field over values, e.g. --sweep integration.interval=1m,5m,15m "
            "(repeatable: several keys make a grid; points run in parallel).",
        ),
    ] = None,
    dask_scheduler: Annotated[
        str | None,
        typer.Option(
            "--dask-scheduler",
            help="Run sweep points on a Dask distributed cluster (e.g. tcp://host:8786) "
            "instead of local processes.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Local processes for a sweep (default: one per CPU)."),
    ] = None,
    find: Annotated[
        str | None,
        typer.Option(
            "--find",
            help="Find the smallest ERP capacity that meets every objective by bisection, "
            "e.g. --find erp.concurrency --min 1 --max 100.",
        ),
    ] = None,
    find_min: Annotated[int, typer.Option("--min", help="Lowest value --find tries.")] = 1,
    find_max: Annotated[int, typer.Option("--max", help="Highest value --find tries.")] = 100,
    slo: Annotated[
        list[str] | None,
        typer.Option(
            "--slo",
            help="Judge sweep points by these objectives instead of the scenario's slo "
            "section, e.g. --slo drift=1%% (peak drift, %% of stock pairs) --slo p95=5m "
            "(repeatable; also p99, converge, missing).",
        ),
    ] = None,
) -> None:
    """Simulate a trading period and the POS→ERP integration, without servers.

    Writes the ground truth (truth/*.parquet) and, unless --traffic-only, the integration
    model's tables (erp/, samples/, faults.parquet, capacity.json) into
    OUT/<timestamp>-<scenario>/, the same tables a live run writes. With --sweep, one run
    directory per point under OUT/<timestamp>-<scenario>-sweep/, each point judged against
    the SLOs, the decision (the cheapest point that meets every objective) and report.html.
    Exit 1 when the run fails its SLOs, or no sweep point meets every objective.
    """
    try:
        overrides = parse_overrides(set_ or [])
        sweeps = parse_sweeps(sweep or [])
        asked = parse_objectives(slo or [])
    except (OverrideError, SweepError, DecisionError) as exc:
        raise fail(str(exc)) from None
    if asked and not sweeps and find is None:
        raise fail("tillbench simulate: --slo judges sweep points; add --sweep or --find")
    if find is not None and (sweeps or traffic_only):
        raise fail("tillbench simulate: --find searches alone; drop --sweep and --traffic-only")
    if traffic_only and sweeps:
        raise fail("tillbench simulate: --sweep needs the integration model; drop --traffic-only")
    with user_errors():
        # a sweep checks each of its points instead, for as many as run at once
        kind: Run | None = None if sweeps else "traffic" if traffic_only else "simulate"
        sc = load_scenario(scenario, overrides, seed=seed, run=kind)
        if find is not None:
            with _steps("find") as update:
                try:
                    found = find_boundary(
                        sc, find, find_min, find_max, out=out, progress=update, asked=asked
                    )
                except SweepError as exc:
                    raise fail(str(exc)) from None
            render_sweep(found, Console())
            raise typer.Exit(found.exit_code)
        if sweeps:
            check_points(sc, sweeps, local=dask_scheduler is None, workers=workers)
            with _steps("sweep") as update:
                result = run_sweep(
                    sc,
                    sweeps,
                    out=out,
                    dask_scheduler=dask_scheduler,
                    max_workers=workers,
                    progress=update,
                    asked=asked,
                )
            render_sweep(result, Console())
            raise typer.Exit(result.exit_code)
    if traffic_only:
        with progress_bar(f"simulating {sc.name}") as update:
            traffic = run_traffic(sc, out=out, progress=update)
        traffic.render()
        return
    with progress_bar(f"simulating {sc.name}") as update:
        run = run_simulation(sc, out=Path(out), progress=update)
    run.render()
    raise typer.Exit(run.exit_code)


def _point(row: dict[str, object], keys: list[str]) -> str:
    """The swept values of a point, short: ``batch 15m``."""
    return " ".join(str(row[k]) for k in keys if row[k] != NOT_APPLICABLE) or "—"


def _calls(value: object) -> str:
    if not isinstance(value, int | float):
        return "—"
    if value >= 10_000:
        return f"{value / 1000:,.0f}k"
    return f"{value:,.0f}"


def render_sweep(result: SweepResult, console: Console) -> None:
    """The sweep's answer at 80 columns: a row per point (pass/fail per objective, the
    binding constraint), the real-time/batch comparison, then the decision."""
    table = Table(title=f"sweep: {', '.join(result.keys)}", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(" ".join(k.rsplit(".", 1)[-1] for k in result.keys), no_wrap=True)
    for label in ("p95", "drift", "calls/day"):
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column("binding")
    table.add_column("SLOs")
    chosen = None if result.decision is None else result.decision.chosen
    for i, row in enumerate(result.rows):
        failed = [o.name for o in result.objectives if not row.get(f"meets_{o.name}")]
        verdict = (
            "[green]✓ all[/green]"
            if not failed
            else "[red]✗ " + ", ".join(_SHORT.get(n, n) for n in failed) + "[/red]"
        )
        drift = row.get("peak_drift_pct")
        table.add_row(
            ("→ " if i == chosen else "") + _point(row, result.keys),
            seconds(row.get("sync_p95_s")),
            "—" if drift is None else f"{drift:.2f}%",
            _calls(row.get("api_calls_per_day")),
            str(row.get("binding", "")),
            verdict,
            style="bold" if i == chosen else None,
        )
    console.print(table)
    for c in result.comparison:
        factor = c["calls_saved_factor"]
        fewer = "no fewer calls" if factor is None else f"{factor:,.0f}× fewer calls"
        console.print(
            f"{_point(c, result.keys)} against real time: {fewer}, p95 "
            f"{seconds(c['realtime_p95_s'])} → {seconds(c['p95_s'])}",
            soft_wrap=False,
        )
    if result.decision is not None:
        colour = "green" if result.decision.chosen is not None else "red"
        console.print(f"\n[bold {colour}]{result.decision.answer}[/bold {colour}]")
        for part in result.decision.detail.split("; "):
            if part:
                console.print(f"  {part}")
    if result.report is not None:
        console.print(f"report: [bold]{result.report}[/bold]", soft_wrap=True)
    console.print(f"sweep directory: [bold]{result.sweep_dir}[/bold]", soft_wrap=True)


_SHORT = {
    "sync_latency_p95": "p95",
    "sync_latency_p99": "p99",
    "converge_within": "converge",
}


@contextlib.contextmanager
def _steps(description: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr whose description names the current step."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=20),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int, step: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{description}: {step}")

        yield update


__all__ = ["render_sweep", "simulate"]

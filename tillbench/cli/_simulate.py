"""`tillbench simulate`: the trading period's ground truth and the integration capacity model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tillbench.cli._app import app
from tillbench.cli._errors import fail, user_errors
from tillbench.cli._options import OutOption, ScenarioArg
from tillbench.cli._progress import progress_bar
from tillbench.overrides import OverrideError, Run, load_scenario, parse_overrides
from tillbench.runs import DEFAULT_OUT
from tillbench.simulate import run_simulation, run_traffic
from tillbench.sweep import (
    FIGURES,
    SweepError,
    SweepResult,
    check_points,
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
) -> None:
    """Simulate a trading period and the POS→ERP integration, without servers.

    Writes the ground truth (truth/*.parquet) and, unless --traffic-only, the integration
    model's tables (erp/, samples/, faults.parquet, capacity.json) into
    OUT/<timestamp>-<scenario>/, the same tables a live run writes. With --sweep, one run
    directory per point under OUT/<timestamp>-<scenario>-sweep/ and a table of the figures.
    """
    try:
        overrides = parse_overrides(set_ or [])
        sweeps = parse_sweeps(sweep or [])
    except (OverrideError, SweepError) as exc:
        raise fail(str(exc)) from None
    if traffic_only and sweeps:
        raise fail("tillbench simulate: --sweep needs the integration model; drop --traffic-only")
    with user_errors():
        # a sweep checks each of its points instead, for as many as run at once
        kind: Run | None = None if sweeps else "traffic" if traffic_only else "simulate"
        sc = load_scenario(scenario, overrides, seed=seed, run=kind)
        if sweeps:
            check_points(sc, sweeps, local=dask_scheduler is None, workers=workers)
            with progress_bar(f"sweeping {sc.name}") as update:
                result = run_sweep(
                    sc,
                    sweeps,
                    out=out,
                    dask_scheduler=dask_scheduler,
                    max_workers=workers,
                    progress=update,
                )
            render_sweep(result, Console())
            return
    if traffic_only:
        with progress_bar(f"simulating {sc.name}") as update:
            traffic = run_traffic(sc, out=out, progress=update)
        traffic.render()
        return
    with progress_bar(f"simulating {sc.name}") as update:
        run = run_simulation(sc, out=Path(out), progress=update)
    run.render()


_SHOWN = (
    ("sync_p95_s", "p95 s"),
    ("sync_max_s", "max s"),
    ("max_backlog", "backlog"),
    ("erp_utilisation", "ERP util"),
    ("api_calls_per_sale", "calls/sale"),
    ("api_calls_per_day", "calls/day"),
    ("status_429", "429s"),
    ("peak_drift_units", "peak drift"),
    ("oversell_exposure_units_peak", "oversell"),
    ("converged_after_faults_s", "converge s"),
)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _percent(value: object) -> str:
    return "—" if not isinstance(value, float) else f"{value:.1%}"


def render_sweep(result: SweepResult, console: Console) -> None:
    """The sweep's answer: one row per point, swept keys first."""
    assert set(dict(_SHOWN)) <= set(FIGURES)
    table = Table(title=f"sweep: {', '.join(result.keys)}")
    for key in result.keys:
        table.add_column(key)
    for _, label in _SHOWN:
        table.add_column(label, justify="right")
    for row in result.rows:
        table.add_row(
            *(row[k] for k in result.keys),
            *(
                _percent(row.get(k)) if k == "erp_utilisation" else _cell(row.get(k))
                for k, _ in _SHOWN
            ),
        )
    console.print(table)
    if result.comparison:
        versus = Table(title="real time against batch (same other values)")
        for col in ("point", "calls/sale rt → here", "fewer calls ×", "p95 rt → here", "verdict"):
            versus.add_column(col)
        for c in result.comparison:
            point = ", ".join(f"{k}={c[k]}" for k in result.keys)
            factor = c["calls_saved_factor"]
            if c["breaks_even"]:
                verdict = "batching wins: fewer calls, no latency cost"
            elif c["calls_per_sale"] >= c["realtime_calls_per_sale"]:
                verdict = f"no saving: {c['latency_cost_s']:+,.0f} s p95, more calls"
            else:
                verdict = f"{c['latency_cost_s']:+,.0f} s p95 buys the saving"
            versus.add_row(
                point,
                f"{c['realtime_calls_per_sale']:.3f} → {c['calls_per_sale']:.3f}",
                "—" if factor is None else f"{factor:,.1f}",
                f"{c['realtime_p95_s']:,.1f} → {c['p95_s']:,.1f} s",
                verdict,
            )
        console.print(versus)
    console.print(f"\nsweep directory: [bold]{result.sweep_dir}[/bold]")


__all__ = ["render_sweep", "simulate"]

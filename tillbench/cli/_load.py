"""`tillbench load`: a Locust load test of the integration, headless, into a run directory."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import scenarios
from tillbench.cli._app import app
from tillbench.cli._errors import fail, user_errors
from tillbench.cli._options import OutOption, ScenarioArg
from tillbench.runs import DEFAULT_OUT

HARNESS_FAILED = 3


def _seconds(text: str) -> float:
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    try:
        if text[-1:] in units:
            return float(text[:-1]) * units[text[-1]]
        return float(text)
    except ValueError:
        raise fail(f"--duration: expected e.g. 90s, 10m or 1h, got {text!r}") from None


def _saturation_table(run: object) -> Table:
    from tillbench.load import LoadRun

    assert isinstance(run, LoadRun)
    assert run.saturation is not None
    table = Table(title=f"saturation: sustainable {run.saturation.sustainable_rps:.1f} req/s")
    for column in ("offered req/s", "served req/s", "p95 ms", "errors", "SLO"):
        table.add_column(column, justify="right" if column != "SLO" else "left")
    for step in run.saturation.steps:
        table.add_row(
            f"{step.offered_rps:.1f}",
            f"{step.achieved_rps:.1f}",
            f"{step.p95_ms:.0f}",
            f"{step.error_rate:.1%}",
            step.breach or "ok",
        )
    return table


@app.command()
def load(
    scenario: ScenarioArg,
    shape: Annotated[
        str, typer.Option(help="day | ramp | spike | soak | saturate (ERP alone, rate search).")
    ] = "day",
    duration: Annotated[
        str, typer.Option(help="Wall length of the load (day: the trading day compressed).")
    ] = "2m",
    rate: Annotated[
        float,
        typer.Option(
            min=0.01, help="req/s: peak (day), start (ramp, saturate), base (spike), soak rate."
        ),
    ] = 20.0,
    user_rate: Annotated[
        float | None,
        typer.Option(
            min=0.01,
            help="req/s each Locust user paces itself at [default: 2, saturate 1]; a user "
            "whose response takes longer than 1/user-rate falls behind (closed model).",
            show_default=False,
        ),
    ] = None,
    step: Annotated[str, typer.Option(help="Step length (ramp, saturate).")] = "10s",
    step_rate: Annotated[float, typer.Option(help="Rate added per ramp step.")] = 10.0,
    spike_rate: Annotated[float, typer.Option(help="Rate of the spike.")] = 100.0,
    p95_ms: Annotated[float, typer.Option(help="Saturation SLO: request p95.")] = 1000.0,
    error_rate: Annotated[float, typer.Option(help="Saturation SLO: failed share.")] = 0.01,
    workers: Annotated[
        int, typer.Option(min=0, help="Locust workers (0 = one process, else master + N).")
    ] = 0,
    connector: Annotated[
        str | None,
        typer.Option("--connector", "-c", help="realtime, batch, hybrid or a command."),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option(
            help="Load this server instead of the mocks (no connector is started); tokens "
            "from TILLBENCH_POS_TOKEN / TILLBENCH_ERP_TOKEN / TILLBENCH_ADMIN_TOKEN.",
            show_default=False,
        ),
    ] = None,
    out: OutOption = DEFAULT_OUT,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
) -> None:
    """Load SCENARIO with Locust, headless: mocks and connector as for `run`, Locust's CSV
    and HTML in RUN_DIR/locust/, end-to-end latency (POS accept → ERP commit), report.html.

    Exit codes: 0 done (saturate: a sustainable rate found), 1 requests failed (or the
    first saturation step already broke), 2 usage error, 3 the harness failed.
    """
    from tillbench.live import HarnessError, UsageError
    from tillbench.load import LoadError, LoadOptions, Slo, run_load

    with user_errors():
        sc = scenarios.load(scenario)
    try:
        options = LoadOptions(
            shape=shape,
            duration_s=_seconds(duration),
            rate=rate,
            user_rate=user_rate or (1.0 if shape == "saturate" else 2.0),
            step_s=_seconds(step),
            step_rate=step_rate,
            spike_rate=spike_rate,
            workers=workers,
            slo=Slo(p95_ms=p95_ms, error_rate=error_rate),
        )
        run = run_load(sc, options=options, out=out, connector=connector, host=host, seed=seed)
    except (LoadError, UsageError) as exc:
        raise fail(str(exc)) from None
    except HarnessError as exc:
        sys.stderr.write(f"tillbench: the harness failed: {exc}\n")
        raise typer.Exit(HARNESS_FAILED) from None
    console = Console()
    if run.saturation is not None:
        console.print(_saturation_table(run))
    if run.e2e is not None:
        console.print(f"end to end (POS accept → ERP commit): {run.e2e}")
    console.print(f"run directory: {run.run_dir}  report: {run.report}")
    failed = run.locust_returncode != 0 or (
        run.saturation is not None and run.saturation.best is None
    )
    raise typer.Exit(1 if failed else 0)


__all__ = ["load"]

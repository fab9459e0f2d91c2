"""`tillbench load`: a Locust load test of the integration, headless, into a run directory."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tillbench.cli._app import app
from tillbench.cli._errors import fail, user_errors
from tillbench.cli._options import OutOption, ScenarioArg
from tillbench.cli._run import ErpOption, PosOption
from tillbench.overrides import load_scenario
from tillbench.runs import DEFAULT_OUT

HARNESS_FAILED = 3


def _seconds(option: str, text: str) -> float:
    from domain.durations import duration_seconds

    try:
        return float(text) if text.replace(".", "", 1).isdigit() else duration_seconds(text)
    except ValueError:
        raise fail(f"{option}: expected e.g. 90s, 10m or 1h, got {text!r}") from None


def _cell(value: float | None, spec: str) -> str:
    if value is None or value != value:
        return "—"
    return "∞" if value == float("inf") else format(value, spec)


def _saturation_table(run: Any) -> Table:
    from tillbench.load.saturate import summary

    saturation = run.saturation
    table = Table(title=f"saturation: sustainable {saturation.sustainable_rps:.1f} req/s")
    columns = ("offered/s", "achieved/s", "committed/s", "e2e p95 s", "req p95 ms", "errors")
    for column in (*columns, "backlog/s", "drain s", "verdict"):
        table.add_column(column, justify="left" if column == "verdict" else "right")
    for step in saturation.steps:
        table.add_row(
            _cell(step.offered_rps, ".1f"),
            _cell(step.achieved_rps, ".1f"),
            _cell(step.committed_rps, ".1f"),
            _cell(step.e2e_p95_s, ".2f"),
            _cell(step.p95_ms, ".0f"),
            _cell(step.error_rate, ".1%"),
            _cell(step.backlog_slope, ".2f"),
            _cell(step.drain_s, ".1f"),
            summary(step) + (" ← sustainable" if step is saturation.best else ""),
        )
    return table


def _render(console: Console, run: Any) -> None:
    if run.saturation is not None:
        console.print(_saturation_table(run))
    if run.e2e is not None:
        e2e = run.e2e
        console.print(
            f"end to end (POS accept → ERP commit): {e2e['committed']}/{e2e['accepted']} sales, "
            f"p50 {_cell(e2e['p50_s'], '.2f')} s, p95 {_cell(e2e['p95_s'], '.2f')} s, "
            f"max {_cell(e2e['max_s'], '.2f')} s"
        )
    if run.settle is not None:
        state = "settled" if run.settle["settled"] else "NOT settled (timeout)"
        console.print(
            f"after the load: {state} in {run.settle['seconds']:.1f} s "
            f"(backlog {run.settle['backlog']}, uncommitted sales {run.settle['uncommitted']})"
        )
    if run.verdict is not None:
        for line in run.verdict.diagnosis:
            console.print(f"verdict: {line}")
    elif run.verify_error is not None:
        console.print(f"not verified: {run.verify_error}")
    console.print(f"run directory: {run.run_dir}  report: {run.report}")


@app.command()
def load(
    scenario: ScenarioArg,
    shape: Annotated[
        str, typer.Option(help="day | ramp | spike | soak | saturate (rate search).")
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
            help="req/s each Locust user paces itself at (default 2, saturate 1); a user "
            "whose response takes longer than 1/user-rate falls behind (closed model).",
            show_default=False,
        ),
    ] = None,
    step: Annotated[str, typer.Option(help="Step length (ramp, saturate).")] = "10s",
    step_rate: Annotated[float, typer.Option(help="Rate added per ramp step.")] = 10.0,
    spike_rate: Annotated[float, typer.Option(help="Rate of the spike.")] = 100.0,
    target: Annotated[
        str,
        typer.Option(
            help="saturate through the 'integration' (registers at the POS, connector, ERP; "
            "judged end to end) or the 'erp' alone (invoices posted straight to it)."
        ),
    ] = "integration",
    e2e_p95: Annotated[
        str | None,
        typer.Option(
            help="SLO: end-to-end sync latency p95, wall time, e.g. 2s (default: the "
            "scenario's slo.sync_latency_p95).",
            show_default=False,
        ),
    ] = None,
    p95_ms: Annotated[float, typer.Option(help="Saturation SLO: request p95 (ms).")] = 1000.0,
    error_rate: Annotated[float, typer.Option(help="Saturation SLO: failed share.")] = 0.01,
    backlog_growth: Annotated[
        float,
        typer.Option(help="Saturation SLO: backlog growth allowed, share of the offered rate."),
    ] = 0.05,
    settle_timeout: Annotated[
        str, typer.Option(help="Longest wait after the load for the connector to finish.")
    ] = "2m",
    drain_timeout: Annotated[
        str, typer.Option(help="Longest wait after each saturation step for the backlog.")
    ] = "30s",
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
            help="Load this server instead of the mocks (no mock or connector is started, the "
            "run is not verified); URLs and tokens from TILLBENCH_POS_URL/_ERP_URL, "
            "TILLBENCH_POS_TOKEN, TILLBENCH_ERP_TOKEN (or _ERP_USER/_ERP_PASSWORD), "
            "TILLBENCH_ADMIN_TOKEN; see loadtests/README.md.",
            show_default=False,
        ),
    ] = None,
    pos: PosOption = "square",
    erp: ErpOption = "bc",
    out: OutOption = DEFAULT_OUT,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
) -> None:
    """Load SCENARIO with Locust, headless: mocks and connector as for `run`, Locust's CSV
    and HTML in RUN_DIR/locust/, then wait for the connector, join POS acceptances with ERP
    commits (end-to-end latency) and verify: every sale the POS accepted in the ERP exactly
    once, stock converged, the scenario's SLOs; report.html.

    The Locust files speak Square and Business Central: --pos square --erp bc (the
    defaults) are the only targets a load drives.

    Exit codes: 0 passed, 1 the verdict failed, requests failed (not judged for saturate)
    or no saturation step was sustainable, 2 usage error, 3 the harness failed.
    """
    from tillbench.live import HarnessError, UsageError
    from tillbench.load import LoadError, LoadOptions, Slo, check_targets, run_load

    try:
        check_targets(pos, erp)
    except (LoadError, UsageError) as exc:
        raise fail(str(exc)) from None
    with user_errors():
        sc = load_scenario(scenario, run="live")
    try:
        options = LoadOptions(
            shape=shape,
            duration_s=_seconds("--duration", duration),
            rate=rate,
            user_rate=user_rate or (1.0 if shape == "saturate" else 2.0),
            step_s=_seconds("--step", step),
            step_rate=step_rate,
            spike_rate=spike_rate,
            workers=workers,
            target=target,
            settle_s=_seconds("--settle-timeout", settle_timeout),
            drain_s=_seconds("--drain-timeout", drain_timeout),
            slo=Slo(
                p95_ms=p95_ms,
                error_rate=error_rate,
                backlog_growth=backlog_growth,
                e2e_p95_s=None if e2e_p95 is None else _seconds("--e2e-p95", e2e_p95),
            ),
        )
        run = run_load(
            sc,
            options=options,
            out=out,
            connector=connector,
            host=host,
            seed=seed,
            pos=pos,
            erp=erp,
        )
    except (LoadError, UsageError) as exc:
        raise fail(str(exc)) from None
    except HarnessError as exc:
        sys.stderr.write(f"tillbench: the harness failed: {exc}\n")
        raise typer.Exit(HARNESS_FAILED) from None
    _render(Console(width=None if sys.stdout.isatty() else 160), run)
    raise typer.Exit(run.exit_code)


__all__ = ["load"]

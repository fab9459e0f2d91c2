"""`tillbench simulate`: the trading period's ground truth (and later the integration model)."""

from __future__ import annotations

from typing import Annotated

import typer

import scenarios
from tillbench.cli._app import app
from tillbench.cli._errors import fail, user_errors
from tillbench.cli._options import OutOption, ScenarioArg
from tillbench.cli._progress import progress_bar
from tillbench.overrides import OverrideError, parse_overrides
from tillbench.runs import DEFAULT_OUT
from tillbench.simulate import run_traffic


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
) -> None:
    """Simulate a trading period: who came to which register when, what they bought,
    how they paid, what they returned or voided, and what happened to stock.

    Writes the ground-truth tables (Parquet) into OUT/<timestamp>-<scenario>/truth/ and
    prints a summary: transactions, units, revenue by store and hour, stock-outs, queue waits.
    """
    if not traffic_only:
        raise fail(
            "tillbench simulate: the integration capacity model is not available yet; "
            "add --traffic-only to simulate the store traffic alone"
        )
    try:
        overrides = parse_overrides(set_ or [])
    except OverrideError as exc:
        raise fail(str(exc)) from None
    with user_errors():
        sc = scenarios.load(scenario)
        if overrides:
            sc = scenarios.override(sc, overrides)
    with progress_bar(f"simulating {sc.name}") as update:
        result = run_traffic(sc, out=out, seed=seed, progress=update)
    result.render()


__all__ = ["simulate"]

"""`tillbench scenarios list|show|validate`: browse and check scenario files."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import scenarios
from tillbench.cli._app import app
from tillbench.cli._errors import USAGE_ERROR, user_errors
from tillbench.cli._options import ScenarioArg

sub = typer.Typer(
    help=(
        "Browse the bundled scenario library and check scenario files.\n\n"
        "A scenario is a YAML file describing a chain, its traffic, the integration under "
        "test, the ERP's limits, a fault timeline and the SLOs. SCENARIO arguments take a "
        "file path or the name of a bundled scenario (see `tillbench scenarios list`)."
    ),
    no_args_is_help=True,
)
app.add_typer(sub, name="scenarios")


@sub.command("list")
def list_() -> None:
    """List the bundled scenarios with the question each one answers."""
    table = Table(title="Bundled scenarios", show_lines=False)
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("stores", justify="right")
    table.add_column("duration", justify="right")
    table.add_column("mode")
    table.add_column("description")
    for name in scenarios.library():
        with user_errors():
            sc = scenarios.load(name)
        table.add_row(
            name,
            str(sc.chain.stores),
            _human(sc.duration.total_seconds()),
            sc.integration.mode,
            _first_sentence(sc.description),
        )
    Console().print(table)


@sub.command()
def show(scenario: ScenarioArg) -> None:
    """Print the fully resolved scenario (extends applied, every default filled in)."""
    with user_errors():
        sc = scenarios.load(scenario)
    typer.echo(scenarios.dump(sc), nl=False)


@sub.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Scenario files or bundled names to check.")],
) -> None:
    """Check scenario files; print every problem as `FILE: field: problem, got VALUE`.

    Exits 0 when all are valid, 2 when any is not.
    """
    failed = 0
    for source in files:
        try:
            scenarios.load(source)
        except scenarios.ScenarioError as exc:
            failed += 1
            for line in exc.lines:
                typer.echo(line, err=True)
        else:
            typer.echo(f"{source}: ok")
    if failed:
        if len(files) > 1:
            typer.echo(f"{failed} of {len(files)} scenario files are invalid", err=True)
        raise typer.Exit(USAGE_ERROR)


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    match = re.search(r"[.?!](\s|$)", flat)
    return flat[: match.start() + 1] if match else flat


def _human(seconds: float) -> str:
    if seconds % 86400 == 0:
        return f"{int(seconds // 86400)}d"
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 60)}m"


__all__ = ["sub"]

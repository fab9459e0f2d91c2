"""The root typer application; sub-command modules register themselves on import."""

from __future__ import annotations

import typer

from tillbench import __version__
from tillbench.cli._errors import Commands

app = typer.Typer(
    cls=Commands,
    name="tillbench",
    help=(
        "A test bench for POS <-> ERP integrations.\n\n"
        "Simulate a retail chain's store traffic, push it through a connector against mock "
        "(or real) POS and ERP servers, and get a verdict: every sale posted exactly once, "
        "stock converged, latency within SLO."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"tillbench {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    """A test bench for POS <-> ERP integrations."""


from tillbench.cli import (  # noqa: E402  (registers commands)
    _calibrate,
    _demo,
    _erp,  # noqa: F401  (registers `tillbench erp`)
    _load,
    _mock,
    _report,
    _run,
    _scenarios,
    _simulate,
)

__all__ = ["app"]
_ = (_calibrate, _demo, _load, _mock, _report, _run, _scenarios, _simulate)

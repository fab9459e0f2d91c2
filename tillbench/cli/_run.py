"""`tillbench run`: a scenario live against a connector, with a verdict."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tillbench.cli._app import app
from tillbench.cli._errors import fail, masked, user_errors
from tillbench.cli._options import OutOption, ScenarioArg
from tillbench.overrides import load_scenario, parse_overrides
from tillbench.runs import DEFAULT_OUT

HARNESS_FAILED = 3
INTERRUPTED = 130

ConnectorOption = Annotated[
    str | None,
    typer.Option(
        "--connector",
        "-c",
        help="realtime, batch or hybrid (the reference connectors), or a command in quotes, "
        'e.g. --connector "node my-connector.js". Default: realtime.',
        show_default=False,
    ),
]
ConnectorUrlOption = Annotated[
    str | None,
    typer.Option(
        "--connector-url",
        help="Attach to a connector you run yourself at this URL (serving /health); its "
        "environment is written to RUN/connector/env.sh.",
        show_default=False,
    ),
]
PosOption = Annotated[
    str,
    typer.Option(
        "--pos",
        help="The POS in front of the connector: square (the mock POS speaking Square v2) or "
        "shopify (the mock POS speaking Shopify's Admin GraphQL API).",
    ),
]
ErpOption = Annotated[
    str,
    typer.Option(
        "--erp",
        help="The ERP behind the connector: bc (the mock Business Central), netsuite (the mock "
        "NetSuite: SuiteTalk REST and SuiteQL, OAuth 1.0a) or tryton (a real Tryton 8.2, set "
        "up from the scenario and started for the run; ERP-side events and ERP faults do not "
        "apply to it).",
    ),
]
ErpDbOption = Annotated[
    str | None,
    typer.Option(
        "--erp-db",
        help="With --erp tryton: a PostgreSQL URL for Tryton's database, e.g. "
        "postgresql://user:pw@127.0.0.1/tillbench (without a database name, one per run). "
        "Default: SQLite under the run directory (one writer at a time).",
        show_default=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Concurrent ERP writers of the reference connectors (default: theirs, 4; 1 with "
        "--erp tryton on SQLite).",
        show_default=False,
        min=1,
        max=64,
    ),
]
SpeedOption = Annotated[
    float | None,
    typer.Option(
        help="Simulated seconds per wall second (default: the scenario's speed).",
        show_default=False,
        min=0.001,
    ),
]


def execute(
    scenario_source: str,
    *,
    connector: str | None,
    connector_url: str | None,
    speed: float | None,
    out: Path,
    seed: int | None,
    overrides: list[str],
    db_url: str | None = None,
    pos: str = "square",
    erp: str = "bc",
    erp_db_url: str | None = None,
    workers: int | None = None,
) -> int:
    """Load, run, render; returns the exit code (0 pass, 1 SLO failed)."""
    from tillbench.live import HarnessError, UsageError, resolve_connector, run_live
    from tillbench.live.render import render_run, status_display
    from tillbench.live.targets import TargetOptions, erp_target, pos_target

    with user_errors():
        sc = load_scenario(scenario_source, parse_overrides(overrides), run="live")
    try:
        spec = resolve_connector(connector, connector_url)
        options = TargetOptions(db_url=db_url, erp_db_url=erp_db_url)
        pos = pos_target(pos, options).name
        erp = erp_target(erp, options).name
    except UsageError as exc:
        raise fail(masked(str(exc), db_url, erp_db_url)) from None
    console = Console()
    try:
        with status_display(Console(stderr=True)) as update:
            run = run_live(
                sc,
                connector=spec,
                out=out,
                speed=speed,
                seed=seed,
                db_url=db_url,
                progress=update,
                pos=pos,
                erp=erp,
                erp_db_url=erp_db_url,
                workers=workers,
            )
    except UsageError as exc:
        raise fail(masked(str(exc), db_url, erp_db_url)) from None
    except HarnessError as exc:
        first, _, rest = masked(str(exc), db_url, erp_db_url).partition("\n")
        sys.stderr.write(f"tillbench: the harness failed: {first}\n{rest}\n")
        return HARNESS_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("tillbench: interrupted; every server and the connector were stopped\n")
        return INTERRUPTED
    render_run(run, console)
    return run.exit_code


@app.command()
def run(
    scenario: ScenarioArg,
    connector: ConnectorOption = None,
    connector_url: ConnectorUrlOption = None,
    pos: PosOption = "square",
    erp: ErpOption = "bc",
    erp_db: ErpDbOption = None,
    workers: WorkersOption = None,
    speed: SpeedOption = None,
    out: OutOption = DEFAULT_OUT,
    seed: Annotated[
        int | None,
        typer.Option(help="Override the scenario's seed.", show_default=False),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a scenario field, e.g. --set chain.stores=2."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL of the mocks (PostgreSQL); default SQLite files in the run "
            "directory.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run SCENARIO live: the POS and ERP (--pos square|shopify --erp bc|netsuite: the mocks; --erp
    tryton: a real Tryton), the connector, the store traffic and its faults; then verify and print
    the verdict.

    Exit codes: 0 every SLO met, 1 an SLO failed, 3 the harness itself failed,
    2 a usage error: bad scenario or option, connector not found or never healthy.
    """
    code = execute(
        scenario,
        connector=connector,
        connector_url=connector_url,
        speed=speed,
        out=out,
        seed=seed,
        overrides=set_ or [],
        db_url=db,
        pos=pos,
        erp=erp,
        erp_db_url=erp_db,
        workers=workers,
    )
    raise typer.Exit(code)


__all__ = ["ErpOption", "PosOption", "execute", "run"]

"""`tillbench erp tryton init|start|stop|status`: a real Tryton ERP for a scenario."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tillbench.cli._app import app
from tillbench.cli._errors import fail, masked, user_errors
from tillbench.cli._options import ScenarioArg, check_folder_option
from tillbench.overrides import OverrideError, parse_overrides

erp = typer.Typer(
    help="Real ERPs behind the bench (Tryton 8.2 for now).",
    no_args_is_help=True,
)
tryton = typer.Typer(
    help=(
        "Tryton 8.2 in its own virtualenv (~/.cache/tillbench/venv-tryton): initialise a "
        "database with a scenario's master data (cached, so later inits take seconds), start "
        "and stop trytond on 127.0.0.1. SQLite for one writer; PostgreSQL (--db) for "
        "concurrent writers."
    ),
    no_args_is_help=True,
)
erp.add_typer(tryton, name="tryton")
app.add_typer(erp, name="erp")

DirOption = Annotated[
    Path,
    typer.Option(
        "--dir",
        help="Work directory: database (SQLite), trytond.conf, pid and log.",
        callback=check_folder_option,
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="PostgreSQL URL postgresql://user:pw@host:port/dbname (the role needs CREATEDB); "
        "default: SQLite in --dir.",
    ),
]
_DEFAULT_DIR = Path("runs/tryton")


@contextlib.contextmanager
def _erp_errors(db: str | None = None) -> Iterator[None]:
    from erps.errors import ErpError

    try:
        yield
    except ErpError as exc:
        raise fail(masked(str(exc), db)) from None


@contextlib.contextmanager
def _steps() -> Iterator[Callable[[str], None]]:
    console = Console(stderr=True)
    started = time.monotonic()

    def say(message: str) -> None:
        console.print(f"[dim]{time.monotonic() - started:6.1f}s[/dim] {message}")

    with console.status("working…"):
        yield say


@tryton.command()
def init(
    scenario: ScenarioArg,
    db: DbOption = None,
    workdir: DirOption = _DEFAULT_DIR,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a scenario field, e.g. --set chain.stores=2."),
    ] = None,
) -> None:
    """Create a Tryton database loaded with SCENARIO's world.

    The world: company, chart of accounts, fiscal year, taxes per tax class, products
    (code = SKU), one sale point per store (named by store id), payment methods per tender,
    opening stock.

    Creates Tryton's virtualenv on first use (about 10 s) in $TILLBENCH_CACHE_DIR/venv-tryton
    (default ~/.cache/tillbench/venv-tryton; $TILLBENCH_TRYTON_VENV overrides). The first
    database for a scenario takes about half a minute on SQLite (a minute on PostgreSQL); it
    is cached under $TILLBENCH_CACHE_DIR/tryton (default ~/.cache/tillbench/tryton) and
    copied afterwards.
    """
    import scenarios
    from erps.tryton import init_database
    from tillbench.live.tryton import master_data

    try:
        overrides = parse_overrides(set_ or [])
    except OverrideError as exc:
        raise fail(str(exc)) from None
    with user_errors():
        sc = scenarios.load(scenario)
        if overrides:
            sc = scenarios.override(sc, overrides)
    with _erp_errors(db), _steps() as say:
        spec = master_data(sc, seed=seed)
        database = init_database(spec, workdir=workdir, db_url=db, progress=say)
    where = database.workdir if database.backend == "sqlite" else db
    typer.echo(
        masked(
            f"Tryton database {database.name} ({database.backend}, {where}) ready: "
            f"{len(spec['products'])} products, {len(spec['stores'])} sale points"
            + (" (from the cache)" if database.cache_hit else ""),
            db,
        )
    )
    typer.echo(f"next: tillbench erp tryton start --dir {workdir}")


@tryton.command()
def start(
    workdir: DirOption = _DEFAULT_DIR,
    port: Annotated[
        int | None, typer.Option(help="Port on 127.0.0.1.", show_default="a free one")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Serve this PostgreSQL database (initialised with the same --dir) instead "
            "of the one recorded in --dir.",
        ),
    ] = None,
) -> None:
    """Start trytond in the background for the database `init` left in --dir.

    Returns once a login works and prints the JSON-RPC URL and the connector environment.
    """
    import dataclasses

    from erps.tryton import load_database, start_server
    from erps.tryton.postgres import split_url

    with _erp_errors(db):
        database = load_database(workdir)
        if db is not None:
            server_url, name = split_url(db)
            database = dataclasses.replace(
                database, backend="postgresql", uri=server_url, name=name
            )
        with _steps() as say:
            say(f"starting trytond for {database.name} ({database.backend})")
            server = start_server(database, port=port, workdir=workdir)
    typer.echo(f"trytond running (pid {server.pid}), log {server.log_path}")
    typer.echo(f"TILLBENCH_ERP_KIND=tryton TILLBENCH_ERP_URL={server.url}")
    typer.echo(f"TILLBENCH_ERP_TOKEN={server.user}:{server.password}")
    typer.echo(f"TILLBENCH_ERP_COMPANY={database.company}")
    typer.echo(f"stop: tillbench erp tryton stop --dir {workdir}")


@tryton.command()
def stop(workdir: DirOption = _DEFAULT_DIR) -> None:
    """Stop the trytond started for --dir (a stale pid file is cleaned up)."""
    from erps.tryton import stop_server

    with _erp_errors():
        stopped = stop_server(workdir)
    typer.echo("trytond stopped" if stopped else f"no trytond running for {workdir}")


@tryton.command()
def status(workdir: DirOption = _DEFAULT_DIR) -> None:
    """Say whether trytond runs for --dir, and where. Exit code 1 when it does not."""
    from erps.tryton import server_status

    with _erp_errors():
        running = server_status(workdir)
    if running is None:
        typer.echo(f"no trytond running for {workdir}")
        raise typer.Exit(1)
    pid, url = running
    typer.echo(f"trytond running (pid {pid}) at {url}")


__all__ = ["erp"]

"""`tillbench verify`, `report`, `compare` and `export`: read run directories."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from tillbench.cli._app import app
from tillbench.cli._errors import fail
from tillbench.cli._options import check_file_option, check_folder_option

RunArg = Annotated[
    Path,
    typer.Argument(help="A run directory (OUT/<timestamp>-<scenario>).", show_default=False),
]


@contextlib.contextmanager
def _run_dir_errors(*run_dirs: Path) -> Iterator[None]:
    """`ReportsError` as its one line; a value Arrow cannot handle that got past the readers'
    checks as one line naming the run directories, never quoting the file."""
    import pyarrow as pa

    from reports import ReportsError

    try:
        yield
    except ReportsError as exc:
        raise fail(str(exc)) from None
    except pa.ArrowException as exc:
        head = "".join(c for c in str(exc).split(":", 1)[0] if c.isprintable() and c.isascii())
        where = ", ".join(str(d) for d in run_dirs)
        raise fail(
            f"{where}: a table holds values that cannot be read ({head.strip()[:100]}); "
            "write the run again or restore its files"
        ) from None


@app.command()
def verify(run_dir: RunArg) -> None:
    """Judge a run directory against its scenario's SLOs: exactly-once, drift, latency, leaks.

    Writes summary.json and junit.xml (one test case per SLO) into RUN_DIR and prints the
    verdict. Exit code 0 when every SLO holds, 1 when one fails, 2 when the directory cannot
    be verified (the message names the missing file or column).
    """
    from rich.console import Console

    from reports import verify as verify_run

    with _run_dir_errors(run_dir):
        verdict = verify_run(run_dir)
    verdict.render(Console())
    raise typer.Exit(verdict.exit_code)


@app.command()
def report(
    run_dir: RunArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to write the HTML (default RUN_DIR/report.html).",
            callback=check_file_option,
        ),
    ] = None,
) -> None:
    """(Re)build a run's report.html and charts/ (PNG + SVG) from its tables."""
    from reports.html import build_report

    with _run_dir_errors(run_dir):
        path = build_report(run_dir, out=out)
    typer.echo(f"report: {path}")


@app.command()
def compare(
    run_dirs: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more run directories; the first is the baseline.", show_default=False
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for compare.html and its charts.",
            callback=check_folder_option,
        ),
    ] = None,
) -> None:
    """Side-by-side scorecard of runs (better/worse per row) with overlaid charts."""
    from reports.compare import build_comparison

    if len(run_dirs) < 2:
        raise fail(f"compare: give at least two run directories, got {len(run_dirs)}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out or run_dirs[0].parent / f"compare-{stamp}"
    with _run_dir_errors(*run_dirs):
        path = build_comparison(run_dirs, out=target)
    typer.echo(f"comparison: {path}")


@app.command()
def export(
    run_dir: RunArg,
    format_: Annotated[
        str,
        typer.Option("--format", "-f", help="csv (spreadsheets) or parquet."),
    ] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Target folder (default RUN_DIR/export/FORMAT).",
            callback=check_folder_option,
        ),
    ] = None,
) -> None:
    """Write every table of a run, plus the series the report draws, as CSV or Parquet."""
    from reports.export import export_run

    with _run_dir_errors(run_dir):
        written = export_run(run_dir, fmt=format_, out=out)
    folder = out or run_dir / "export" / format_
    typer.echo(f"export: {len(written)} files in {folder}")

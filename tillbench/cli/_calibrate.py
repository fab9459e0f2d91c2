"""`tillbench calibrate RUN_DIR`: fit the ERP's service time from a live run into a scenario."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from simulator.integration import IntegrationError, calibrate_run
from tillbench.cli._app import app
from tillbench.cli._errors import fail
from tillbench.cli._options import check_file_option


def nested(dotted: dict[str, Any]) -> dict[str, Any]:
    """``{"erp.latency.median": x}`` → ``{"erp": {"latency": {"median": x}}}``."""
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        *parents, leaf = key.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def calibrated_scenario(run_dir: Path, out: Path) -> str:
    """The YAML of a scenario extending ``run_dir``'s, with the fitted ERP figures."""
    overrides = calibrate_run(run_dir)
    base = (run_dir / "scenario.yaml").resolve()
    name = yaml.safe_load(base.read_text(encoding="utf-8")).get("name", "scenario")
    document = {
        "name": f"{name}-calibrated",
        "extends": os.path.relpath(base, out.resolve().parent),
        "description": f"{name} with the ERP service time fitted from {run_dir.name} "
        "(durations in simulated time: wall × the run's speed)",
        **nested(overrides),
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@app.command()
def calibrate(
    run_dir: Annotated[
        Path, typer.Argument(help="A live run directory (with erp/journal.parquet).")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the scenario here instead of printing it.",
            callback=check_file_option,
        ),
    ] = None,
) -> None:
    """Fit the ERP latency (lognormal median/p99, $batch fixed + per operation) from a live
    run's ERP journal and write a scenario that extends the run's, for `tillbench simulate`.
    """
    if not (run_dir / "scenario.yaml").exists():
        raise fail(f"{run_dir / 'scenario.yaml'}: missing; give a run directory")
    try:
        text = calibrated_scenario(run_dir, out or Path.cwd() / "calibrated.yaml")
    except IntegrationError as exc:
        raise fail(str(exc)) from None
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


__all__ = ["calibrate", "calibrated_scenario", "nested"]

"""`tillbench demo`: the whole story on embedded defaults, in about a minute and a half."""

from __future__ import annotations

from typing import Annotated

import typer

from tillbench.cli._app import app
from tillbench.cli._errors import fail, user_errors
from tillbench.cli._options import OutOption
from tillbench.cli._progress import progress_bar
from tillbench.cli._run import ErpOption, PosOption, execute
from tillbench.overrides import load_scenario
from tillbench.runs import DEFAULT_OUT
from tillbench.simulate import run_traffic


@app.command()
def demo(
    out: OutOption = DEFAULT_OUT,
    pos: PosOption = "square",
    erp: ErpOption = "bc",
    traffic_only: Annotated[
        bool,
        typer.Option(
            "--traffic-only",
            help="Only simulate the demo chain's store traffic (no servers, no connector).",
        ),
    ] = False,
) -> None:
    """Run the bundled `demo` scenario live: three stores at the lunch rush, a five-minute
    ERP outage and a burst of duplicate webhooks, through the reference real-time
    connector against the mock POS and ERP (or the targets --pos and --erp name); then
    print the verdict and the run directory.

    Exit codes as `tillbench run`.
    """
    if traffic_only:
        if (pos, erp) != ("square", "bc"):
            raise fail("--traffic-only starts no POS or ERP: leave out --pos and --erp")
        with user_errors():
            sc = load_scenario("demo", run="traffic")
        with progress_bar(f"simulating {sc.name}") as update:
            result = run_traffic(sc, out=out, seed=None, progress=update)
        result.render()
        return
    code = execute(
        "demo",
        connector="realtime",
        connector_url=None,
        speed=None,
        out=out,
        seed=None,
        overrides=[],
        pos=pos,
        erp=erp,
    )
    raise typer.Exit(code)


__all__ = ["demo"]

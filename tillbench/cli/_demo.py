"""`tillbench demo`: the whole story on embedded defaults, in about a minute."""

from __future__ import annotations

import scenarios
from tillbench.cli._app import app
from tillbench.cli._errors import user_errors
from tillbench.cli._options import OutOption
from tillbench.cli._progress import progress_bar
from tillbench.runs import DEFAULT_OUT
from tillbench.simulate import run_traffic


@app.command()
def demo(out: OutOption = DEFAULT_OUT) -> None:
    """Run the bundled `demo` scenario on embedded defaults and print what happened.

    For now the demo simulates the demo chain's store traffic (the ground truth every later
    verdict is checked against); live runs against the mock POS and ERP join it as they land.
    """
    with user_errors():
        sc = scenarios.load("demo")
    with progress_bar(f"simulating {sc.name}") as update:
        result = run_traffic(sc, out=out, seed=None, progress=update)
    result.render()


__all__ = ["demo"]

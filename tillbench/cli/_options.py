"""Options and arguments shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ScenarioArg = Annotated[
    str,
    typer.Argument(
        help="A scenario file, or the name of a bundled scenario (tillbench scenarios list).",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path,
    typer.Option("--out", "-o", help="Parent folder of the run directory."),
]

__all__ = ["OutOption", "ScenarioArg"]

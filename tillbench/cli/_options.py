"""Options and arguments shared by several commands.

Path options are checked when they are parsed, before a command does any work: a folder
option must be a writable folder or creatable (`folder_option`), a file option a writable
file name (`file_option`); otherwise one line naming the option and the path, exit 2.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tillbench.cli._errors import fail
from tillbench.runs import OutError, check_file, check_folder

ScenarioArg = Annotated[
    str,
    typer.Argument(
        help="A scenario file, or the name of a bundled scenario (tillbench scenarios list).",
        show_default=False,
    ),
]


def _checked(
    check: Callable[..., None],
) -> Callable[[typer.Context, typer.CallbackParam, Any], Any]:
    def callback(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
        if value is not None and not ctx.resilient_parsing:
            option = max(param.opts, key=len) if param.opts else f"--{param.name}"
            try:
                check(Path(value), option=option)
            except OutError as exc:
                raise fail(str(exc)) from None
        return value

    return callback


check_folder_option = _checked(check_folder)
"""A typer ``callback=``: the value must be a writable folder or creatable."""
check_file_option = _checked(check_file)
"""A typer ``callback=``: a file can be written at the value."""

OutOption = Annotated[
    Path,
    typer.Option(
        "--out", "-o", help="Parent folder of the run directory.", callback=check_folder_option
    ),
]

__all__ = ["OutOption", "ScenarioArg", "check_file_option", "check_folder_option"]

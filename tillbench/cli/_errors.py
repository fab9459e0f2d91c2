"""Turn errors a user can fix into one-line messages and exit code 2."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import typer

from scenarios import ScenarioError

USAGE_ERROR = 2


def fail(*lines: str) -> typer.Exit:
    """Print each line to stderr and return an `Exit(2)` for the caller to raise."""
    for line in lines:
        sys.stderr.write(line.rstrip("\n") + "\n")
    return typer.Exit(USAGE_ERROR)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Report scenario and input errors as lines on stderr with exit code 2."""
    try:
        yield
    except ScenarioError as exc:
        raise fail(*exc.lines) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None

"""Turn errors a user can fix into one-line messages and exit code 2; running out of memory
into one line and exit code 3."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import click
import typer
from typer.core import TyperGroup

from scenarios import ScenarioError
from tillbench.overrides import OverrideError

USAGE_ERROR = 2
HARNESS_FAILED = 3

OUT_OF_MEMORY = (
    "tillbench: out of memory: this machine cannot hold the run; simulate fewer stores "
    "(--set chain.stores=N) or a shorter period (--set duration=2h), or answer the question "
    "with the capacity model (tillbench simulate)"
)
WORKER_DIED = (
    "tillbench: a worker process died (killed for memory?); run fewer points at once "
    "(--workers 1) or simulate fewer stores or a shorter period"
)


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
    except OverrideError as exc:
        raise fail(str(exc)) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None


class Commands(TyperGroup):
    """The root command group: a `MemoryError` anywhere in a command is one plain line and
    exit code 3, never a traceback (printed once the frames that held the memory are gone)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MemoryError:
            line = OUT_OF_MEMORY
        except BrokenProcessPool:
            line = WORKER_DIED
        sys.stderr.write(line + "\n")
        raise typer.Exit(HARNESS_FAILED)


__all__ = ["HARNESS_FAILED", "USAGE_ERROR", "Commands", "fail", "user_errors"]

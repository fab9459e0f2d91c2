"""Turn errors a user can fix into one-line messages and exit code 2; running out of memory
into one line and exit code 3."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any
from urllib.parse import unquote

import typer
from typer.core import TyperGroup

from mocks.core.redact import redact, redact_url, url_secrets
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


_SECRET_PARAM = re.compile(r"(?i)pass|pwd|secret|token|key|auth|credential|sig")


def _secrets(url: str) -> list[str]:
    """A URL's password and the values of its credential-like query parameters (any name
    that mentions one: ``password``, ``sslpassword``, ``api_key`` …)."""
    query = url.partition("?")[2]
    pairs = [pair.partition("=") for pair in query.replace(";", "&").split("&")]
    values = [v for k, _, v in pairs if v and _SECRET_PARAM.search(k)]
    return [*url_secrets(url), *values, *map(unquote, values)]  # as written, and decoded


def masked(text: str, *urls: str | None) -> str:
    """``text`` with the secrets of ``urls`` (database URLs given as options: password,
    ``password=`` and the like in the query) and any ``scheme://user:password@`` in it
    shown as ``***``: for every line the CLI prints."""
    for url in urls:
        if url:
            secrets = _secrets(url)
            text = redact(text.replace(url, redact(redact_url(url), secrets)), secrets)
    return redact(text, ())


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

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context
        try:
            return super().invoke(ctx)
        except MemoryError:
            line = OUT_OF_MEMORY
        except BrokenProcessPool:
            line = WORKER_DIED
        sys.stderr.write(line + "\n")
        raise typer.Exit(HARNESS_FAILED)


__all__ = ["HARNESS_FAILED", "USAGE_ERROR", "Commands", "fail", "masked", "user_errors"]

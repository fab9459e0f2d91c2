"""Shared by the scenario tests: a wall-time limit, so that a loader that lost one of its
guards fails a test instead of hanging the suite (or filling the machine's memory)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TooSlow(Exception):
    """The block ran past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `TooSlow` inside the block once ``seconds`` of wall time have passed (main
    thread only: it uses ``SIGALRM``)."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TooSlow(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

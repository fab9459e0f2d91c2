"""Shared by the mock tests: a wall clock that moves only when told."""

from __future__ import annotations


class FakeClock:
    """Wall time in epoch seconds for ``now=`` of the mock apps and the fault engine;
    ``advance`` moves it, so tests cross fault windows without sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of wall time pass."""
        self.now += seconds

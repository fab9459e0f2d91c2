"""A clock the test moves by hand, for the connector's durable state
(``StateStore(directory, clock=...)``): retries become due when the test says so, without
sleeping on the wall clock."""

from __future__ import annotations


class StepClock:
    """Seconds since the epoch, moved only by `advance`."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds

"""The posters' shared back-off while the ERP refuses work (no answer, 429, 503): one
refusal holds every worker back, so an outage does not burn every row's attempts. While it
is tripped the dispatcher sends one probe at a time (`Breaker.tripped`); the first answer
resets it."""

from __future__ import annotations

import random
import threading
import time

from connectors.core.retry import RetryPolicy

PROBE_DOUBLINGS = 4
"""The pause stops growing after this many refusals in a row, so a recovered ERP is noticed
within ``base × 2**4``."""


class Breaker:
    """Shared back-off while the ERP is unavailable."""

    def __init__(self, policy: RetryPolicy, rng: random.Random) -> None:
        self._policy = policy
        self._rng = rng
        self._lock = threading.Lock()
        self._failures = 0
        self._until = 0.0

    def trip(self, retry_after: float | None) -> None:
        """One more refusal: hold everyone back a little longer."""
        with self._lock:
            wait = self._policy.delay(min(self._failures, PROBE_DOUBLINGS), self._rng, retry_after)
            self._failures += 1
            self._until = max(self._until, time.monotonic() + wait)

    def reset(self) -> bool:
        """A success; True when the breaker had been tripped."""
        with self._lock:
            was = self._failures > 0
            self._failures = 0
            self._until = 0.0
            return was

    def tripped(self) -> bool:
        """Whether the last answer was a refusal (no success since)."""
        with self._lock:
            return self._failures > 0

    def wait_time(self) -> float:
        """Seconds until work may go out again."""
        with self._lock:
            return max(0.0, self._until - time.monotonic())

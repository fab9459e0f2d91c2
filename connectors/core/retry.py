"""Retry timing: exponential backoff with full jitter, capped, honouring ``Retry-After``.

Example::

    policy = RetryPolicy(attempts=8, base=1.0, cap=300.0)
    policy.delay(3, random.Random(7))   # uniform in [0, min(cap, base * 2**3)]
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a request is retried (AWS "full jitter" backoff)."""

    attempts: int = 8
    """Attempts in all, the first included; afterwards the work goes to the dead letters."""
    base: float = 1.0
    """Seconds before the first retry (upper bound of its jitter)."""
    cap: float = 300.0
    """No wait is longer than this (seconds)."""
    jitter: str = "full"
    """``full``: uniform in [0, backoff]; ``none``: the backoff itself."""

    def backoff(self, retry: int) -> float:
        """The upper bound of the wait before retry number ``retry`` (0-based)."""
        return float(min(self.cap, self.base * (2 ** min(retry, 60))))

    def delay(self, retry: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait before retry ``retry``; a server's ``Retry-After`` is a floor."""
        bound = self.backoff(retry)
        wait = rng.uniform(0.0, bound) if self.jitter == "full" else bound
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return wait


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)

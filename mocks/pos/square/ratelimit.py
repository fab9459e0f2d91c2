"""Per-credential rate limit: a token bucket that answers 429 RATE_LIMITED when empty.

Square publishes no limits (REFERENCE.md), so the rate is a setting; active `rate_limit`
faults multiply it by their factor (≤ 1). Buckets are per process: with N workers the
effective limit is about N × the rate.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable

from starlette.types import Scope

from mocks.pos.engine.errors import RateLimited

EXEMPT = ("/driver/", "/admin/")


class RateLimiter:
    """Admission hook for mocks.core: refuse requests beyond `rate` per second per credential."""

    def __init__(
        self,
        *,
        rate: float,
        burst: int,
        factor: Callable[[], float] = lambda: 1.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.factor = factor
        self.now = now
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, credential: str) -> float:
        """Take one token; returns 0 when admitted, else seconds until a token is free."""
        rate = self.rate * max(self.factor(), 1e-6)
        capacity = max(1.0, self.burst * min(self.factor(), 1.0))
        now = self.now()
        tokens, stamp = self._buckets.get(credential, (capacity, now))
        tokens = min(capacity, tokens + (now - stamp) * rate)
        if tokens >= 1:
            self._buckets[credential] = (tokens - 1, now)
            return 0.0
        self._buckets[credential] = (tokens, now)
        return (1 - tokens) / rate

    @contextlib.asynccontextmanager
    async def __call__(self, scope: Scope, credential: str | None) -> AsyncIterator[None]:
        path: str = scope.get("path", "")
        if not path.startswith(EXEMPT):
            wait = self.take(credential or "anonymous")
            if wait > 0:
                raise RateLimited(
                    "too many requests for this access token; back off and retry",
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
        yield

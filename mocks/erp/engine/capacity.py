"""Capacity model of the ERP engine (every ERP dialect): a sliding request window per
credential (429 with Retry-After), a concurrency cap with a bounded queue (429 beyond),
and a service time drawn from a lognormal stretched by utilisation u = busy slots /
concurrency: × (1 + load_factor × u), as the scenario's ``erp.latency`` defines it.

State lives in each worker process; with several workers each enforces its share of the
limits (``limit / workers``), which matches the whole only when the load balancer spreads
requests evenly (uvicorn's shared socket roughly does).

Defaults follow Business Central's published limits (REFERENCE.md): 6,000 requests per
5-minute window per user; 5 requests processed at once with a queue of 95. Refusals are
plain 429 ``ApiError``s with ``Retry-After``; the dialect's error renderer gives them its
code (Business Central: ``Application_TooManyRequests``).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import Scope

from mocks.core import ApiError
from mocks.faults import Latency


class CapacityModel:
    """The admission hook of the ERP app (see ``mocks.core.Admission``)."""

    def __init__(
        self,
        *,
        concurrency: int,
        queue: int,
        window_requests: int,
        window_seconds: float,
        latency: Latency | None,
        load_factor: float,
        rng: random.Random,
        rate_factor: Callable[[], float] = lambda: 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.concurrency = concurrency
        self.queue = queue
        self.window_requests = window_requests
        self.window_seconds = window_seconds
        self.latency = latency
        self.load_factor = load_factor
        self._rng = rng
        self._rate_factor = rate_factor
        self._clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self.busy = 0
        self.waiting = 0
        self._windows: dict[str, deque[float]] = {}

    @classmethod
    def share(cls, settings: Any, ctx: Any, *, concurrency: int) -> CapacityModel:
        """One worker's share of the limits in ``settings`` (``workers``, ``queue``,
        ``window``, ``latency_model``, ``effective_load_factor``): ``concurrency``, the queue
        and the window divided by ``settings.workers``; the rng and the rate-limit fault of
        ``ctx`` (the app's `mocks.core.MockContext`)."""
        share = settings.workers
        return cls(
            concurrency=max(1, round(concurrency / share)),
            queue=round(settings.queue / share),
            window_requests=max(1, round(settings.window.requests / share)),
            window_seconds=settings.window.seconds,
            latency=settings.latency_model,
            load_factor=settings.effective_load_factor,
            rng=ctx.rng,
            rate_factor=ctx.faults.rate_limit_factor,
        )

    @asynccontextmanager
    async def __call__(self, _scope: Scope, credential: str | None) -> AsyncIterator[None]:
        """Admit one request, or raise ApiError 429."""
        self._count(credential or "anonymous")
        if self.busy >= self.concurrency and self.waiting >= self.queue:
            raise ApiError(
                429,
                f"Too many requests are being processed ({self.concurrency} at once, "
                f"{self.queue} queued); retry later.",
                headers={"Retry-After": "1"},
            )
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.busy += 1
        try:
            if self.latency is not None:
                scale = 1.0 + self.load_factor * self.busy / self.concurrency
                await asyncio.sleep(self.latency.sample(self._rng, scale=scale))
            yield
        finally:
            self.busy -= 1
            self._slots.release()

    def _count(self, credential: str) -> None:
        now = self._clock()
        window = self._windows.setdefault(credential, deque())
        horizon = now - self.window_seconds
        while window and window[0] <= horizon:
            window.popleft()
        limit = max(1, int(self.window_requests * self._rate_factor()))
        if len(window) >= limit:
            retry = max(1, math.ceil(window[len(window) - limit] + self.window_seconds - now))
            raise ApiError(
                429,
                f"Rate limit exceeded: {limit} requests per {self.window_seconds:g} s for this "
                f"user; retry after {retry} s.",
                headers={"Retry-After": str(retry)},
            )
        window.append(now)

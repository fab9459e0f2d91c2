"""Capacity model: concurrency cap + bounded queue, sliding window, load-dependent latency."""

from __future__ import annotations

import asyncio
import random

import pytest

from mocks.core import ApiError
from mocks.erp.engine import CapacityModel
from mocks.faults import Latency


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _model(**overrides: object) -> CapacityModel:
    options: dict = {
        "concurrency": 2,
        "queue": 1,
        "window_requests": 1000,
        "window_seconds": 300.0,
        "latency": None,
        "load_factor": 0.0,
        "rng": random.Random(1),
    }
    options.update(overrides)
    return CapacityModel(**options)


def test_requests_beyond_slots_and_queue_get_429() -> None:
    model = _model()

    async def scenario() -> list[object]:
        release = asyncio.Event()

        async def hold() -> str:
            async with model({}, "alice"):
                await release.wait()
            return "ok"

        tasks = [asyncio.create_task(hold()) for _ in range(3)]
        await asyncio.sleep(0.01)
        assert (model.busy, model.waiting) == (2, 1)
        with pytest.raises(ApiError) as refused:
            async with model({}, "alice"):
                pass
        release.set()
        done = await asyncio.gather(*tasks)
        return [refused.value.status, refused.value.headers["Retry-After"], *done]

    assert asyncio.run(scenario()) == [429, "1", "ok", "ok", "ok"]


def test_window_refuses_with_retry_after_until_the_oldest_expires() -> None:
    clock = Clock()
    model = _model(window_requests=3, window_seconds=60.0, clock=clock)

    async def hit() -> None:
        async with model({}, "alice"):
            pass

    for second in (0.0, 10.0, 20.0):
        clock.now = second
        asyncio.run(hit())
    clock.now = 30.0
    with pytest.raises(ApiError) as refused:
        asyncio.run(hit())
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "30"
    asyncio.run(model({}, "bob").__aenter__())
    clock.now = 60.0
    asyncio.run(hit())


def test_rate_limit_fault_tightens_the_window() -> None:
    factor = [1.0]
    model = _model(window_requests=10, rate_factor=lambda: factor[0])

    async def hit() -> None:
        async with model({}, "alice"):
            pass

    for _ in range(2):
        asyncio.run(hit())
    factor[0] = 0.2
    with pytest.raises(ApiError):
        asyncio.run(hit())


def test_service_time_grows_with_busy_slots() -> None:
    model = _model(concurrency=4, queue=0, latency=Latency(0.05), load_factor=2.0)

    async def timed() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        async with model({}, "alice"):
            pass
        return loop.time() - start

    async def scenario() -> tuple[float, list[float]]:
        alone = await timed()
        crowd = await asyncio.gather(*(timed() for _ in range(4)))
        return alone, crowd

    alone, crowd = asyncio.run(scenario())
    assert alone == pytest.approx(0.05 * (1 + 2.0 * 1 / 4), abs=0.02)
    assert max(crowd) == pytest.approx(0.05 * (1 + 2.0 * 4 / 4), abs=0.03)

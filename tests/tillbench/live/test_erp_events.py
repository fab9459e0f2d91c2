"""The ERP-side events of a run (price changes, new items, deliveries), planned without servers."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest

import simulator
from tests.tillbench.live.support import tiny_scenario
from tillbench.live.erp_events import ErpEvent, EventApplier, plan_erp_events


def test_erp_events_are_deterministic_and_inside_the_run(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    world = simulator.build_world(sc)
    first = plan_erp_events(sc, world, tmp_path, rng=random.Random("42:erp"))
    again = plan_erp_events(sc, world, tmp_path, rng=random.Random("42:erp"))
    assert first == again
    kinds = sorted(e.kind for e in first)
    assert kinds == ["new_item", "price_change", "price_change", "price_change"]
    duration = sc.duration.total_seconds()
    assert all(0.2 * duration <= e.t <= 0.8 * duration for e in first)
    prices = dict(zip(world.catalog.sku_ids, world.catalog.price_minor.tolist(), strict=True))
    for event in first:
        if event.kind == "price_change":
            assert event.unit_price_minor != prices[event.sku]


class _Flaky(EventApplier):
    """Refuses with ``statuses`` in turn (None: the connection fails), then applies."""

    def __init__(self, statuses: list[int | None]) -> None:
        self.exponent = 2
        self.statuses = list(statuses)
        self.calls = 0
        self.applied: list[ErpEvent] = []
        self.on_applied = lambda event, _wall: self.applied.append(event)

    async def _apply_once(self, event: ErpEvent) -> None:
        self.calls += 1
        if self.statuses:
            status = self.statuses.pop(0)
            request = httpx.Request("PATCH", "http://erp.test/items")
            if status is None:
                raise httpx.ConnectError("refused", request=request)
            raise httpx.HTTPStatusError(
                "refused", request=request, response=httpx.Response(status, request=request)
            )


EVENT = ErpEvent(t=60.0, kind="price_change", sku="SKU-1", unit_price_minor=199)


def test_an_event_is_retried_through_outages_throttling_and_lost_connections() -> None:
    applier = _Flaky([503, 429, None])
    asyncio.run(applier.apply(EVENT, give_up_s=30))
    assert applier.calls == 4
    assert applier.applied == [EVENT]
    assert applier._major(199) == 1.99


def test_a_refusal_of_the_request_itself_is_not_retried() -> None:
    applier = _Flaky([400])
    with pytest.raises(httpx.HTTPStatusError):
        asyncio.run(applier.apply(EVENT, give_up_s=30))
    assert applier.calls == 1
    assert applier.applied == []


def test_the_applier_gives_up_after_its_time() -> None:
    applier = _Flaky([503] * 100)
    with pytest.raises(httpx.HTTPStatusError):
        asyncio.run(applier.apply(EVENT, give_up_s=0.5))
    assert 2 <= applier.calls < 10
    assert applier.applied == []

"""The ERP-side events of a run (price changes, new items, deliveries), planned without servers."""

from __future__ import annotations

import random
from pathlib import Path

import simulator
from tests.tillbench.live.support import tiny_scenario
from tillbench.live.erp_events import plan_erp_events


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

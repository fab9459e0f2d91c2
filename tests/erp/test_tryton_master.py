"""master_data: the scenario's world as Tryton master data, deterministic."""

from __future__ import annotations

import re
import types
from decimal import Decimal
from typing import Any

import simulator
from benchmarks.tryton_load import bench_scenario
from erps.tryton import master_data, spec_hash
from simulator.engine import RunState


def test_master_data_is_deterministic(tryton_spec: dict[str, Any]) -> None:
    again = master_data(bench_scenario())
    assert again == tryton_spec
    assert spec_hash(again) == spec_hash(tryton_spec)


def test_master_data_seed_changes_the_spec(tryton_spec: dict[str, Any]) -> None:
    other = master_data(bench_scenario(), seed=tryton_spec["seed"] + 1)
    assert spec_hash(other) != spec_hash(tryton_spec)


def test_master_data_matches_the_world(tryton_spec: dict[str, Any]) -> None:
    world = simulator.build_world(bench_scenario())
    assert [p["code"] for p in tryton_spec["products"]] == world.catalog.sku_ids
    assert [s["id"] for s in tryton_spec["stores"]] == world.store_ids
    initial = RunState.create(world).stock.initial.reshape(world.stores, -1)
    held = {(s, k): q for s, k, q in tryton_spec["stock"]}
    for i, store in enumerate(world.store_ids):
        for j, sku in enumerate(world.catalog.sku_ids):
            assert held.get((store, sku), 0) == initial[i, j]


def test_master_data_prices_and_tenders(tryton_spec: dict[str, Any]) -> None:
    rates = {t["name"]: Decimal(t["rate"]) for t in tryton_spec["taxes"]}
    for product in tryton_spec["products"]:
        net = Decimal(product["list_price"])
        gross = Decimal(product["gross_price"])
        assert gross == (net * (1 + rates[product["tax_class"]])).quantize(Decimal("0.0001"))
    assert "cash" in tryton_spec["tenders"]
    assert {"credit", "debit", "mobile", "other"} <= set(tryton_spec["tenders"])
    assert tryton_spec["dates"]["start"] <= tryton_spec["dates"]["end"]


def test_public_surface() -> None:
    import erps.tryton as tryton

    bound = {
        name
        for name, value in vars(tryton).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert sorted(tryton.__all__) == sorted(bound)
    assert len(set(tryton.__all__)) == len(tryton.__all__)
    for name in tryton.__all__:
        assert getattr(tryton, name).__module__.startswith("erps."), name
    example = re.search(r"from erps\.tryton import (.+)", tryton.__doc__ or "")
    assert example is not None
    assert {n.strip() for n in example.group(1).split(",")} <= set(tryton.__all__)

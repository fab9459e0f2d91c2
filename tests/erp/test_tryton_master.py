"""master_data: the scenario's world as Tryton master data, deterministic."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tryton_support import small_scenario

import simulator
from simulator.engine import RunState
from tillbench.erp.tryton import master_data, spec_hash


def test_master_data_is_deterministic(tryton_spec: dict[str, Any]) -> None:
    again = master_data(small_scenario())
    assert again == tryton_spec
    assert spec_hash(again) == spec_hash(tryton_spec)


def test_master_data_seed_changes_the_spec(tryton_spec: dict[str, Any]) -> None:
    other = master_data(small_scenario(), seed=tryton_spec["seed"] + 1)
    assert spec_hash(other) != spec_hash(tryton_spec)


def test_master_data_matches_the_world(tryton_spec: dict[str, Any]) -> None:
    world = simulator.build_world(small_scenario())
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
    import tillbench.erp.tryton as tryton

    assert sorted(tryton.__all__) == [
        "ErpError",
        "TrytonDatabase",
        "TrytonEnv",
        "TrytonServer",
        "cache_dir",
        "ensure_env",
        "init_database",
        "load_database",
        "master_data",
        "server_status",
        "spec_hash",
        "start_server",
        "stop_server",
    ]
    assert all(hasattr(tryton, name) for name in tryton.__all__)

"""World building: catalog, stores, lanes, cashiers, loyalty customers."""

from __future__ import annotations

import re

import numpy as np
import pytest

from domain import Gtin, Sku
from simulator import Params, World, build_world
from simulator.catalog import ean13_check_digits
from simulator.world import build_world_from_params
from tests.simulator.support import small_scenario


def _world(**overrides: object) -> World:
    return build_world(small_scenario(**overrides))


def test_catalog_has_valid_unique_ids_and_retail_prices() -> None:
    world = _world(**{"catalog.skus": 2000})
    cat = world.catalog

    assert len(set(cat.sku_ids)) == len(set(cat.gtins)) == 2000
    for sku, gtin in zip(cat.sku_ids[:500], cat.gtins[:500], strict=True):
        Sku(sku)
        Gtin(gtin)
    cents = set((cat.price_minor % 100).tolist())
    assert cents <= {99, 49, 29, 79}
    assert np.all(cat.cost_minor < cat.price_minor)
    assert cat.popularity.sum() == pytest.approx(1.0)
    assert len(set(cat.names)) > 1000


def test_tax_class_shares_follow_configuration() -> None:
    world = _world(**{"catalog.skus": 20_000})
    shares = np.bincount(world.catalog.tax_class) / 20_000

    assert shares == pytest.approx([tc.share for tc in world.params.tax_classes], abs=0.02)


def test_ean13_check_digit_matches_domain() -> None:
    from domain import gtin_check_digit

    bodies = np.array([590123412345, 400638133393, 1])
    assert ean13_check_digits(bodies).tolist() == [
        gtin_check_digit(f"{b:012d}") for b in bodies.tolist()
    ]


def test_stores_lanes_and_cashiers() -> None:
    world = _world(**{"chain.stores": 30, "chain.registers": 8, "chain.self_checkouts": 4})

    assert world.store_ids[:2] == ["S0001", "S0002"]
    assert world.size_factor.mean() == pytest.approx(1.0, abs=0.2)
    assert np.all(world.n_registers >= 1)
    assert np.all(world.n_self_checkouts >= 1)
    assert len(world.lane_ids) == int((world.n_registers + world.n_self_checkouts).sum())
    assert all(re.fullmatch(r"S\d{4}-[RK]\d{2}", lane) for lane in world.lane_ids)
    assert world.lane_self_checkout.sum() == world.n_self_checkouts.sum()
    big = np.argmax(world.size_factor)
    small = np.argmin(world.size_factor)
    assert world.n_registers[big] > world.n_registers[small]
    assert all(len(a) > 10 for a in world.store_addresses)


def test_loyalty_customers_are_unique_and_pooled() -> None:
    world = _world(**{"chain.loyalty_customers": 5000})

    assert len(set(world.customer_ids.to_pylist())) == 5000
    assert len(set(world.loyalty_ids.to_pylist())) == 5000
    emails = world.customer_emails.to_pylist()
    assert all(e.count("@") == 1 and e.isascii() for e in emails)
    assert len(set(emails)) == 5000


def test_world_is_deterministic_and_locale_aware() -> None:
    params = Params.from_scenario(small_scenario())
    a, b = build_world_from_params(params), build_world_from_params(params)
    german = build_world_from_params(params.with_changes(locale="de_DE"))

    assert a.catalog.names == b.catalog.names
    assert a.store_addresses == b.store_addresses
    assert german.store_addresses != a.store_addresses


def test_world_tables_follow_record_schemas() -> None:
    from domain.rundir import TABLES

    world = _world()
    for name, table in world.tables().items():
        assert table.schema.equals(TABLES[f"truth/{name}"].schema, check_metadata=True), name


def test_world_rows_are_valid_domain_parties() -> None:
    from domain import Cashier, Customer, Register, Store

    tables = _world(**{"chain.stores": 5, "chain.loyalty_customers": 300}).tables()

    stores = [
        Store(**row) for row in tables["stores"].drop(["registers", "self_checkouts"]).to_pylist()
    ]
    registers = [Register(**row) for row in tables["registers"].to_pylist()]
    cashiers = [Cashier(**row) for row in tables["cashiers"].to_pylist()]
    customers = [Customer(**row) for row in tables["customers"].to_pylist()]

    assert len(stores) == 5
    assert {r.store_id for r in registers} == {s.store_id for s in stores}
    assert len(cashiers) >= 5
    assert len(customers) == 300

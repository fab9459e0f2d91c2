"""What a load test seeds: the same opening stock in the POS and the ERP, prices in major units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import scenarios
from simulator import build_world
from tillbench.live.seed import minor_exponent
from tillbench.load.seed import LOAD_STOCK, erp_catalog, pos_counts


@pytest.fixture(scope="module")
def world_and_scenario() -> tuple[Any, Any]:
    scenario = scenarios.load("demo")
    return build_world(scenario, seed=None), scenario


def test_pos_and_erp_books_open_equal(world_and_scenario: tuple[Any, Any]) -> None:
    world, scenario = world_and_scenario
    erp = {
        (row["locationCode"], row["itemNumber"]): row["quantity"]
        for row in erp_catalog(world)["stock"]
    }
    pos = {
        (row["store_id"], row["sku"]): int(row["quantity"]) for row in pos_counts(world, scenario)
    }
    assert pos == erp
    assert set(pos.values()) == {LOAD_STOCK}
    assert len(pos) == len(world.store_ids) * len(world.catalog.sku_ids)


def test_counts_are_taken_before_the_day_starts(world_and_scenario: tuple[Any, Any]) -> None:
    world, scenario = world_and_scenario
    (opening,) = {row["occurred_at"] for row in pos_counts(world, scenario)}
    assert opening < scenario.start.replace(tzinfo=scenario.zone).isoformat()


@pytest.mark.parametrize(("currency", "exponent"), [("USD", 2), ("JPY", 0), ("BHD", 3)])
def test_erp_prices_in_the_currencys_major_unit(currency: str, exponent: int) -> None:
    assert minor_exponent(currency) == exponent
    world = build_world(scenarios.load("demo"), seed=None)
    item = erp_catalog(world, exponent=exponent)["items"][0]
    price = int(world.catalog.price_minor[0])
    assert Decimal(item["unitPrice"]) == Decimal(price).scaleb(-exponent)

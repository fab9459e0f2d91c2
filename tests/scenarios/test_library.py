"""The bundled scenarios load, answer a stated question, and have the promised shape."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

import scenarios
from scenarios import ScenarioError, library, library_path, load

REQUIRED = {"demo", "boutique", "grocery-chain", "black-friday", "erp-outage", "batch-vs-realtime"}


def test_library_has_the_required_scenarios() -> None:
    assert set(library()) >= REQUIRED
    assert library() == sorted(library())


@pytest.mark.parametrize("name", library())
def test_every_bundled_scenario_validates(name: str) -> None:
    scenario = load(name)
    assert scenario.name == name
    assert "?" in scenario.description
    assert library_path(name).is_file()


@pytest.mark.parametrize("name", sorted(set(library()) - {"grocery-chain"}))
def test_bundled_scenarios_stay_short_by_extending_the_base(name: str) -> None:
    text = library_path(name).read_text(encoding="utf-8")
    assert "extends: grocery-chain" in text
    assert len(text.splitlines()) <= 40


def test_library_path_of_an_unknown_name_lists_the_names() -> None:
    with pytest.raises(ScenarioError) as caught:
        library_path("nope")
    assert caught.value.lines == [
        f"nope: no bundled scenario of that name (bundled: {', '.join(library())})"
    ]


def test_grocery_chain_is_a_weekday_of_20_stores() -> None:
    base = load("grocery-chain")
    assert base.chain.stores == 20
    assert base.start.weekday() == 0
    assert base.duration == timedelta(days=1)
    assert base.traffic.customers_per_store_day == 2200


def test_demo_is_small_and_takes_about_a_minute_live() -> None:
    demo = load("demo")
    assert 2 <= demo.chain.stores <= 3
    assert 200 <= demo.catalog.skus <= 400
    live_seconds = demo.duration.total_seconds() / demo.speed
    assert 45 <= live_seconds <= 90
    kinds = {(fault.target, fault.kind) for fault in demo.faults}
    assert ("erp", "outage") in kinds
    assert ("pos.webhooks", "duplicate") in kinds
    assert all(fault.duration <= timedelta(minutes=10) for fault in demo.faults)
    assert demo.data_quality.card_in_notes > 0


def test_boutique_is_a_few_expensive_stores_with_many_returns() -> None:
    boutique, grocery = load("boutique"), load("grocery-chain")
    assert boutique.chain.stores < 10
    assert boutique.traffic.profile == "boutique"
    assert boutique.traffic.customers_per_store_day < grocery.traffic.customers_per_store_day / 10
    assert boutique.catalog.price.median > 10 * grocery.catalog.price.median
    assert boutique.returns.rate == pytest.approx(0.20)
    assert boutique.returns.receipted == grocery.returns.receipted
    weekend = boutique.traffic.weekday[5] + boutique.traffic.weekday[6]
    assert weekend > grocery.traffic.weekday[5] + grocery.traffic.weekday[6]


def test_black_friday_is_the_friday_after_thanksgiving() -> None:
    friday = load("black-friday")
    assert friday.start == datetime(2026, 11, 27)
    assert friday.start.weekday() == 4
    event = friday.traffic.event_on(date(2026, 11, 27))
    assert event is not None
    assert event.multiplier == pytest.approx(2.5)
    assert event.peak == time(14, 0)
    assert friday.traffic.event_on(date(2026, 11, 28)) is None


def test_erp_outage_hits_the_lunch_peak_then_slows() -> None:
    outage, slowdown = load("erp-outage").faults
    assert (outage.kind, outage.target, outage.duration) == ("outage", "erp", timedelta(minutes=30))
    assert timedelta(hours=11) <= outage.start < timedelta(hours=13)
    assert slowdown.kind == "latency"
    assert slowdown.latency is not None
    assert slowdown.start >= outage.end


def test_batch_vs_realtime_sweeps_over_mode_and_interval() -> None:
    base = load("batch-vs-realtime")
    assert base.integration.mode == "batch"
    for mode in ("realtime", "batch", "hybrid"):
        for interval in ("1m", "5m", "15m", "1h"):
            swept = base.with_overrides(
                **{"integration.mode": mode, "integration.interval": interval}
            )
            assert swept.integration.mode == mode
            assert swept.integration.interval == scenarios.parse_duration(interval)


def test_chain_1000_has_a_thousand_stores_for_one_day() -> None:
    big = load("chain-1000")
    assert big.chain.stores == 1000
    assert big.duration == timedelta(days=1)


def test_convenience_never_closes() -> None:
    convenience = load("convenience")
    assert convenience.chain.hours.length == timedelta(days=1)
    assert convenience.traffic.profile == "convenience"
    assert convenience.catalog.skus <= 1500

"""Every size field has a limit, and a value past it is one line naming the field, the
value and the limit: a hundred billion stores or a century of trading never reach the
simulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scenarios import ScenarioError, library, load

WriteFile = Callable[[str, str], Path]
CALENDAR = "must be from 1970-01-01 to before 2200-01-01 (the calendar tillbench simulates)"


def _lines(write: WriteFile, text: str) -> list[str]:
    write("big.yaml", text)
    with pytest.raises(ScenarioError) as caught:
        load("big.yaml")
    return caught.value.lines


def test_a_hundred_billion_stores_and_a_century_are_refused(write: WriteFile) -> None:
    assert _lines(write, "chain: {stores: 100000000000}\nduration: 100000d\n") == [
        "big.yaml: duration: must be ≤ 3650d (ten years), got '100000d'",
        "big.yaml: chain.stores: must be ≤ 100000, got 100000000000",
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("chain: {registers: 101}", "chain.registers: must be ≤ 100, got 101"),
        ("chain: {self_checkouts: 1000}", "chain.self_checkouts: must be ≤ 100, got 1000"),
        ("chain: {size_spread: 5}", "chain.size_spread: must be ≤ 2, got 5"),
        ("chain: {cashiers_per_register: 11}", "chain.cashiers_per_register: must be ≤ 10, got 11"),
        (
            "chain: {loyalty_customers: 1e9}",
            "chain.loyalty_customers: must be ≤ 10000000, got 1000000000.0",
        ),
        ("catalog: {skus: 2000000}", "catalog.skus: must be ≤ 1000000, got 2000000"),
        ("catalog: {categories: 20000}", "catalog.categories: must be ≤ 10000, got 20000"),
        ("catalog: {popularity: {zipf: 11}}", "catalog.popularity.zipf: must be ≤ 10, got 11"),
        (
            "catalog: {price: {median: 1e8}}",
            "catalog.price.median: must be ≤ 10000000, got 100000000.0",
        ),
        ("catalog: {price: {sigma: 4}}", "catalog.price.sigma: must be ≤ 3, got 4"),
        (
            "catalog: {price: {endings: " + str([0.5] * 101) + "}}",
            "catalog.price.endings: must have at most 100 entries, got 101 entries",
        ),
        (
            "traffic: {customers_per_store_day: 1e6}",
            "traffic.customers_per_store_day: must be ≤ 100000, got 1000000.0",
        ),
        ("traffic: {multiplier: 1000}", "traffic.multiplier: must be ≤ 100, got 1000"),
        (
            "traffic: {events: [{name: x, date: 2026-11-23, multiplier: 500}]}",
            "traffic.events[0].multiplier: must be ≤ 100, got 500",
        ),
        (
            "traffic: {hourly: " + str([1e7] + [1] * 23) + "}",
            "traffic.hourly[0]: must be ≤ 1000000, got 10000000.0",
        ),
        ("basket: {items: {median: 5000}}", "basket.items.median: must be ≤ 1000, got 5000"),
        ("basket: {items: {sigma: 10}}", "basket.items.sigma: must be ≤ 3, got 10"),
        ("basket: {max_items: 100000}", "basket.max_items: must be ≤ 10000, got 100000"),
        ("basket: {quantity: {max: 100000}}", "basket.quantity.max: must be ≤ 10000, got 100000"),
        ("integration: {max_batch: 100000}", "integration.max_batch: must be ≤ 10000, got 100000"),
        (
            "integration: {retry: {attempts: 5000}}",
            "integration.retry.attempts: must be ≤ 1000, got 5000",
        ),
        (
            "integration: {interval: 10ms}",
            "integration.interval: must be ≥ 1s (the shortest batch and sweep interval), "
            "got '10ms'",
        ),
        (
            "inventory: {days_of_cover: 1e5}",
            "inventory.days_of_cover: must be ≤ 3650, got 100000.0",
        ),
        (
            "inventory: {replenishment: {every: 1m}}",
            "inventory.replenishment.every: must be ≥ 1h (stores take deliveries, not a "
            "stream), got '1m'",
        ),
        ("erp: {concurrency: 1000000}", "erp.concurrency: must be ≤ 10000, got 1000000"),
        ("erp: {queue: 1e7}", "erp.queue: must be ≤ 1000000, got 10000000.0"),
        (
            "erp: {window: {requests: 1e10}}",
            "erp.window.requests: must be ≤ 1000000000, got 10000000000.0",
        ),
        ("erp: {latency: {load_factor: 1000}}", "erp.latency.load_factor: must be ≤ 100, got 1000"),
        (
            "erp: {batch: {max_operations: 1e6}}",
            "erp.batch.max_operations: must be ≤ 10000, got 1000000.0",
        ),
        ("erp: {timeout: 4000d}", "erp.timeout: must be ≤ 3650d (ten years), got '4000d'"),
        ("slo: {missing: 1e10}", "slo.missing: must be ≤ 1000000000, got 10000000000.0"),
        (
            "seed: 100000000000000000000",
            "seed: must be ≤ 9223372036854775807, got 100000000000000000000",
        ),
        ("speed: 1e6", "speed: must be ≤ 86400, got 1000000.0"),
        ("name: " + "n" * 101, "name: must be at most 100 characters, got 101 characters"),
        (
            "description: " + "d" * 10_001,
            "description: must be at most 10000 characters, got 10001 characters",
        ),
        (
            'name: "tills\\e[2J"',
            "name: must be printable text (no control characters), got 'tills\\x1b[2J'",
        ),
        ("traffic: {multiplier: .inf}", "traffic.multiplier: must be a finite number, got inf"),
        ("chain: {size_spread: .nan}", "chain.size_spread: must be a finite number, got nan"),
        (
            "start: 9999-12-31",
            f"start: {CALENDAR}, got 9999-12-31T00:00:00",
        ),
        (
            "start: 1066-10-14",
            f"start: {CALENDAR}, got 1066-10-14T00:00:00",
        ),
        (
            "start: 2199-06-01\nduration: 365d",
            "duration: must end by 2200-01-01 (the calendar tillbench simulates), but start "
            "2199-06-01 00:00 + duration ends later, got 365d",
        ),
        (
            "duration: 99999999999999999999999d",
            "duration: must be ≤ 3650d (ten years), got '99999999999999999999999d'",
        ),
        (
            "duration: " + "1" * 120 + "s",
            "duration: not a duration (more than 100 characters), got '" + "1" * 78 + "…",
        ),
        (
            'faults: [{at: "+99999999999999d", for: 1m, target: erp, kind: outage}]',
            "faults[0].at: must fall within 3650d of the start, got '+99999999999999d'",
        ),
        (
            'faults: [{at: "d99999 12:00", for: 1m, target: erp, kind: outage}]',
            "faults[0].at: must fall within 3650d of the start, got 'd99999 12:00'",
        ),
        (
            "faults: "
            + str([{"at": "+1m", "for": "1m", "target": "erp", "kind": "outage"}] * 1001).replace(
                "'", ""
            ),
            "faults: must have at most 1000 entries, got 1001 entries",
        ),
    ],
)
def test_each_limit_names_the_field_the_value_and_the_limit(
    write: WriteFile, text: str, line: str
) -> None:
    assert _lines(write, text + "\n") == [f"big.yaml: {line}"]


@pytest.mark.parametrize("name", library())
def test_the_bundled_scenarios_are_within_every_limit(name: str) -> None:
    assert load(name).name == name


def test_values_at_the_limits_are_accepted(write: WriteFile) -> None:
    write(
        "edge.yaml",
        """
        start: 2190-01-01
        duration: 3650d
        chain: {stores: 100000, registers: 100, self_checkouts: 100, size_spread: 2}
        catalog: {skus: 1000000, categories: 10000}
        traffic: {customers_per_store_day: 100000, multiplier: 100}
        basket: {max_items: 10000, items: {median: 1000, sigma: 3}}
        erp: {concurrency: 10000, queue: 1000000}
        integration: {interval: 1s}
        inventory: {replenishment: {every: 1h}}
        seed: 9223372036854775807
        speed: 86400
        """,
    )
    scenario = load("edge.yaml")
    assert (scenario.chain.stores, scenario.duration.days) == (100_000, 3650)

"""The work estimate: counts the way the simulator draws them, and a one-line refusal of
what would not fit in memory, naming what to change."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import scenarios
import simulator
from scenarios import MemoryCosts, ScenarioError, Work, check_work, estimate_work

GIB = 1024**3


def _simulated(scenario: scenarios.Scenario, tmp_path: Path) -> tuple[int, int]:
    simulator.simulate_traffic(scenario, tmp_path)
    transactions = pq.read_metadata(tmp_path / "truth" / "transactions.parquet").num_rows
    lines = pq.read_metadata(tmp_path / "truth" / "lines.parquet").num_rows
    return transactions, lines


@pytest.mark.parametrize(
    "changes",
    [
        {},  # 11:00-12:00 of a Monday: a partial day
        {"duration": "2d", "start": "2026-11-27T18:00:00", "chain.stores": 8},
        {"duration": "3d", "traffic.multiplier": 2.0, "basket.items.median": 1.5},
        {
            "duration": "2d",
            "traffic.events": [{"name": "sale", "date": "2026-11-24", "multiplier": 3.0}],
        },
    ],
    ids=["demo hour", "across a weekend", "busier, smaller baskets", "event day"],
)
def test_the_estimate_matches_what_the_simulator_draws(
    tmp_path: Path, changes: dict[str, object]
) -> None:
    base = scenarios.load("demo").with_overrides(
        **{"chain.loyalty_customers": 0, "faults": [], **changes}
    )
    work = estimate_work(base)
    transactions, lines = _simulated(base, tmp_path)
    assert work.transactions == pytest.approx(transactions, rel=0.2)
    assert work.lines == pytest.approx(lines, rel=0.2)


def test_the_estimate_counts_days_and_stock_ledgers() -> None:
    scenario = scenarios.load("chain-1000").with_overrides(
        duration="36h", start="2026-11-23T18:00:00"
    )
    work = estimate_work(scenario)
    assert (work.stores, work.days) == (1000, 3)  # Monday evening to Wednesday morning
    assert work.store_skus == 1000 * scenario.catalog.skus
    assert work.peak_day_transactions > work.transactions / 3


def test_closed_hours_bring_no_customers() -> None:
    night = scenarios.load("grocery-chain").with_overrides(
        start="2026-11-23T00:00:00", duration="6h"
    )
    assert estimate_work(night).transactions == 0


def test_memory_grows_with_each_kind_of_work() -> None:
    costs = MemoryCosts()
    small = Work(stores=1, skus=10, loyalty_customers=0, days=1, transactions=0, lines=0,
                 peak_day_transactions=0)  # fmt: skip
    assert small.memory_bytes("traffic") == math.ceil(costs.base + 10 * costs.per_store_sku)
    busy = Work(stores=1, skus=10, loyalty_customers=0, days=1, transactions=1000, lines=5000,
                peak_day_transactions=1000)  # fmt: skip
    assert busy.memory_bytes("simulate") - busy.memory_bytes("traffic") == 1000 * (
        costs.per_model_transaction
    )
    assert busy.memory_bytes("live") > busy.memory_bytes("simulate") > busy.memory_bytes() / 2


def test_a_chain_that_cannot_fit_is_refused_with_what_to_change() -> None:
    huge = scenarios.load("grocery-chain").with_overrides(
        **{"chain.stores": 100_000, "duration": "365d"}
    )
    with pytest.raises(ScenarioError) as caught:
        check_work(huge, source="huge.yaml", available=16 * GIB)
    (line,) = caught.value.lines
    assert line.startswith(
        "huge.yaml: too large for this machine: about 80.3 billion transactions ("
    )
    assert ") in 100,000 stores over 365 days, about " in line
    assert "more than the 1.0 billion transactions one run simulates; simulate at most " in line
    assert "(--set chain.stores=" in line
    assert "\n" not in line


def test_a_chain_too_big_for_the_memory_names_the_largest_that_fits() -> None:
    big = scenarios.load("grocery-chain").with_overrides(**{"chain.stores": 2000})
    with pytest.raises(ScenarioError) as caught:
        check_work(big, run="simulate", source="big.yaml", available=4 * GIB)
    (line,) = caught.value.lines
    stores = int(line.split("(--set chain.stores=")[1].split(")")[0])
    period = line.split("(--set duration=")[1].split(")")[0]
    assert line.startswith("big.yaml: too large for this machine: about 4.0 million transactions")
    assert ", and 4.0 GB are free; simulate at most " in line
    fewer = big.with_overrides(**{"chain.stores": stores})
    assert check_work(fewer, run="simulate", available=4 * GIB).stores == stores
    with pytest.raises(ScenarioError):
        check_work(big.with_overrides(**{"chain.stores": stores + 1}), available=4 * GIB)
    shorter = big.with_overrides(duration=period)
    assert check_work(shorter, run="simulate", available=4 * GIB).transactions > 0


def test_a_live_run_too_big_is_pointed_at_the_capacity_model() -> None:
    chain = scenarios.load("chain-1000")
    with pytest.raises(ScenarioError) as caught:
        check_work(chain, run="live", available=16 * GIB)
    (line,) = caught.value.lines
    assert line.startswith("chain-1000: too large for this machine: ")
    assert line.endswith(", or answer the question with the capacity model (tillbench simulate)")
    assert check_work(chain, run="simulate", available=16 * GIB).stores == 1000


def test_what_fits_is_returned() -> None:
    work = check_work(scenarios.load("demo"), available=2 * GIB)
    assert work.stores == 3
    assert work.memory_bytes() < 2 * GIB * 0.8


def test_this_machine_reports_its_free_memory() -> None:
    free = scenarios.available_memory()
    assert free is None or free > 0

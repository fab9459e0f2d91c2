"""The public surface of `scenarios` and its REFERENCE-based defaults."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

import scenarios
from scenarios import Scenario


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(scenarios) if not name.startswith("_")}
    modules = {name for name in public if isinstance(getattr(scenarios, name), type(scenarios))}
    assert set(scenarios.__all__) == public - modules
    assert scenarios.__all__ == sorted(scenarios.__all__, key=lambda n: (not n.isupper(), n))


def test_contract_names_are_exported() -> None:
    for name in ("load", "dump", "library", "library_path", "override", "ScenarioError",
                 "Scenario", "Duration", "TimeOfDay", "HoursRange", "profile_weights"):  # fmt: skip
        assert name in scenarios.__all__


def test_defaults_follow_reference() -> None:
    scenario = Scenario(name="defaults")
    assert scenario.start == datetime(2026, 11, 23)
    assert scenario.duration == timedelta(days=1)
    assert scenario.traffic.customers_per_store_day == 2200
    assert scenario.catalog.popularity.zipf == 0.85
    assert scenario.basket.self_checkout_share == 0.30
    assert (scenario.basket.service.fixed, scenario.basket.service.per_item) == (
        timedelta(seconds=40),
        timedelta(seconds=3),
    )
    mix = scenario.payments.mix
    assert (mix.credit, mix.debit, mix.cash) == (0.32, 0.30, 0.16)
    assert scenario.returns.receipted == 0.84
    assert scenario.inventory.shrink_annual == 0.016
    assert (scenario.erp.concurrency, scenario.erp.queue) == (5, 95)
    assert (scenario.erp.window.requests, scenario.erp.window.per) == (6000, timedelta(minutes=5))
    assert scenario.erp.timeout == timedelta(minutes=8)
    assert scenario.erp.batch.max_operations == 100


def test_scenarios_are_frozen() -> None:
    scenario = Scenario(name="frozen")
    with pytest.raises(ValidationError, match="frozen"):
        scenario.erp.concurrency = 3  # type: ignore[misc]


def test_name_is_required() -> None:
    with pytest.raises(ValidationError, match="name"):
        Scenario.model_validate({})


def test_latency_sigma_matches_median_and_p99() -> None:
    latency = Scenario(name="x").erp.latency
    assert latency.sigma == pytest.approx(0.8661, abs=1e-4)


def test_fault_start_needs_a_scenario() -> None:
    fault = scenarios.Fault.model_validate(
        {"at": "12:00", "for": "5m", "target": "erp", "kind": "outage"}
    )
    with pytest.raises(scenarios.ScenarioError, match="only inside a Scenario"):
        _ = fault.start


def test_scenarios_and_errors_survive_pickling_for_process_pools() -> None:
    scenario = scenarios.load("demo")
    again = pickle.loads(pickle.dumps(scenario))
    assert again == scenario
    assert [f.start for f in again.faults] == [f.start for f in scenario.faults]
    error = scenarios.ScenarioError(["a.yaml: seed: must be ≥ 0, got -1", "b"])
    assert pickle.loads(pickle.dumps(error)).lines == error.lines


def test_empty_name_is_refused() -> None:
    with pytest.raises(scenarios.ScenarioError) as caught:
        scenarios.override(scenarios.load("demo"), {"name": ""})
    assert caught.value.lines == ["override: name: must not be empty, got ''"]

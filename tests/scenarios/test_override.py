"""Overrides for parameter sweeps: dotted paths, re-validation, error lines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scenarios import Scenario, ScenarioError, load, override, parse_value


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return load("demo")


def test_override_changes_only_the_named_fields(demo: Scenario) -> None:
    changed = override(demo, {"erp.concurrency": 3, "integration.interval": "5m"})
    assert changed.erp.concurrency == 3
    assert changed.integration.interval == timedelta(minutes=5)
    assert changed.erp.queue == demo.erp.queue
    assert demo.erp.concurrency == 5
    assert changed.model_copy(update={"erp": demo.erp, "integration": demo.integration}) == demo


def test_with_overrides_equals_override(demo: Scenario) -> None:
    assert demo.with_overrides(**{"chain.stores": 2}) == override(demo, {"chain.stores": 2})


def test_mapping_values_merge(demo: Scenario) -> None:
    changed = demo.with_overrides(erp={"queue": 3})
    assert (changed.erp.queue, changed.erp.concurrency) == (3, demo.erp.concurrency)


def test_list_items_are_addressed_by_index(demo: Scenario) -> None:
    changed = override(demo, {"faults[0].for": "10m"})
    assert changed.faults[0].duration == timedelta(minutes=10)
    assert changed.faults[0].end == changed.faults[0].start + timedelta(minutes=10)


def test_returns_shorthand_keeps_the_other_fields(demo: Scenario) -> None:
    changed = override(demo, {"returns": 0.5})
    assert (changed.returns.rate, changed.returns.window) == (0.5, demo.returns.window)


def test_python_values_are_accepted(demo: Scenario) -> None:
    changed = override(demo, {"erp.timeout": timedelta(minutes=2)})
    assert changed.erp.timeout == timedelta(minutes=2)


def _lines(demo: Scenario, changes: dict[str, object]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        override(demo, changes)
    return caught.value.lines


def test_invalid_override_is_revalidated(demo: Scenario) -> None:
    assert _lines(demo, {"erp.concurrency": 0, "traffic.multiplier": -1}) == [
        "override: traffic.multiplier: must be > 0, got -1",
        "override: erp.concurrency: must be ≥ 1, got 0",
    ]


def test_override_that_breaks_a_cross_field_check(demo: Scenario) -> None:
    assert _lines(demo, {"duration": "30m"}) == [
        "override: faults[1].at: ends after the scenario (2026-11-23 11:00 + 30m); "
        "start earlier or shorten 'for', got '11:35' for 5m"
    ]


def test_unknown_override_path(demo: Scenario) -> None:
    assert _lines(demo, {"erp.concurency": 2}) == [
        'override: erp.concurency: unknown field (did you mean "concurrency"?), got 2'
    ]


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"faults[5].for": "1m"}, "override: faults[5]: no such item (there are 2)"),
        ({"erp.concurrency.x": 1}, "override: erp.concurrency: has no fields, got 5"),
        (
            {"erp..queue": 1},
            "override: erp..queue: not a field path like erp.concurrency or faults[0].for",
        ),
    ],
)
def test_malformed_override_paths(demo: Scenario, changes: dict[str, object], line: str) -> None:
    assert _lines(demo, changes) == [line]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("0.5", 0.5),
        ("true", True),
        ("12:00", "12:00"),
        ("5m", "5m"),
        ("[a, b]", ["a", "b"]),
        ("{concurrency: 3}", {"concurrency": 3}),
        ("{a: 1", "{a: 1"),
        ("", ""),
    ],
)
def test_set_values_read_as_scenario_files_read_them(text: str, value: object) -> None:
    assert parse_value(text) == value


def test_a_set_value_over_the_yaml_budgets_is_one_line() -> None:
    laughs = "[" + ", ".join(["&a [x, x, x, x, x, x, x, x, x, x]"] + ["*a"] * 2000) + "]"
    with pytest.raises(ScenarioError) as caught:
        parse_value(laughs, where="--set chain")
    (line,) = caught.value.lines
    assert line.startswith("--set chain: YAML too large: the aliases up to *a stand for more than")

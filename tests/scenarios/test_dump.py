"""`dump` writes the resolved scenario in human units; `load` reads it back equal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scenarios import dump, library, load

WriteFile = Callable[[str, str], Path]


@pytest.mark.parametrize("name", library())
def test_dump_then_load_gives_an_equal_scenario(name: str, write: WriteFile) -> None:
    scenario = load(name)
    write("dumped.yaml", dump(scenario))
    again = load("dumped.yaml")
    assert again == scenario
    assert [fault.start for fault in again.faults] == [fault.start for fault in scenario.faults]


def test_dump_keeps_human_units_and_resolves_extends() -> None:
    text = dump(load("erp-outage"))
    document = yaml.safe_load(text)
    assert "extends" not in document
    assert document["integration"]["interval"] == "15m"
    assert document["erp"]["latency"]["median"] == "120ms"
    assert document["faults"][0]["for"] == "30m"
    assert document["faults"][0]["at"] == "12:00"
    assert document["chain"]["hours"] == "07:00-22:00"
    assert document["duration"] == "1d"


def test_durations_dump_in_the_most_readable_unit(write: WriteFile) -> None:
    write("x.yaml", "integration: {interval: 900s}\nreturns: {window: 720h}\n")
    document = yaml.safe_load(dump(load("x.yaml")))
    assert document["integration"]["interval"] == "15m"
    assert document["returns"]["window"] == "30d"


def test_dump_writes_every_default() -> None:
    document = yaml.safe_load(dump(load("grocery-chain")))
    assert document["erp"]["concurrency"] == 5
    assert document["payments"]["mix"]["credit"] == 0.32
    assert set(document) >= {"name", "seed", "start", "faults", "slo", "data_quality"}

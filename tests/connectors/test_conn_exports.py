"""The public surface of connectors.common is what its docstring promises."""

from __future__ import annotations

import connectors.common as common


def test_exports_are_importable_and_listed() -> None:
    assert sorted(common.__all__) == common.__all__
    for name in common.__all__:
        assert getattr(common, name) is not None
    assert {"ContractEnv", "map_order", "scrub", "StateStore", "PlantedBugs"} <= set(common.__all__)


def test_planted_bug_names_round_trip() -> None:
    from connectors.common.planted import NAMES, PlantedBugs

    for name in NAMES:
        bugs = PlantedBugs.of(name)
        assert bugs.any
    assert not PlantedBugs().any

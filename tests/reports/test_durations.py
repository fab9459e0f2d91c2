"""SLO durations read from scenario.yaml without importing ``scenarios``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reports._durations import seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15m", 900.0),
        ("1h30m", 5400.0),
        ("120ms", 0.12),
        ("1.5h", 5400.0),
        (timedelta(minutes=5), 300.0),
        (42, 42.0),
        (None, None),
    ],
)
def test_seconds(value: object, expected: float | None) -> None:
    assert seconds("converge_within", value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["15", "5 minutes", "m", True, [1]])
def test_malformed_durations_name_the_field(value: object) -> None:
    with pytest.raises(ValueError, match=r"^slo\.converge_within: not a duration like 15m"):
        seconds("converge_within", value)

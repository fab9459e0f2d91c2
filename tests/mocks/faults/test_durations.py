"""Durations of fault specifications: human units or seconds, errors naming the field."""

from __future__ import annotations

import pytest

from mocks.faults import FaultError, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900.0), ("1h30m", 5400.0), ("900ms", 0.9), ("2d", 172800.0), (5, 5.0)],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_parse_duration_rejects_garbage_naming_the_field() -> None:
    with pytest.raises(FaultError, match=r"^for: must be a duration .*, got '15 minutes'$"):
        parse_duration("15 minutes", field="for")

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.durations import duration_seconds, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120ms", timedelta(milliseconds=120)),
        ("15m", timedelta(minutes=15)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1.5h", timedelta(minutes=90)),
        (" 2h 5s ", timedelta(hours=2, seconds=5)),
        ("1d", timedelta(days=1)),
        ("250us", timedelta(microseconds=250)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "15 minutes", "-5m", "m", "1h-30m"])
def test_malformed_durations_say_what_a_duration_looks_like(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a duration like 15m, 2h, 120ms, got "):
        parse_duration(text)


def test_duration_seconds_is_a_float() -> None:
    assert duration_seconds("1m30s") == 90.0
    assert duration_seconds("120ms") == pytest.approx(0.12)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650)))
def test_format_then_parse_is_the_identity(value: timedelta) -> None:
    assert parse_duration(format_duration(value)) == value

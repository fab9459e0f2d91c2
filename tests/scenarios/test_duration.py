"""Durations in human units: parsing, formatting, and their use in models."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from scenarios import Duration, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120ms", timedelta(milliseconds=120)),
        ("15s", timedelta(seconds=15)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("1.5h", timedelta(minutes=90)),
        ("0s", timedelta(0)),
        ("250us", timedelta(microseconds=250)),
        ("900s", timedelta(minutes=15)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "fast", "15 minutes", "-5m", "m15", "1h30", "2x"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration like 15m, 2h, 120ms"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(seconds=900), "15m"),
        (timedelta(hours=2), "2h"),
        (timedelta(days=1), "1d"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(milliseconds=120), "120ms"),
        (timedelta(seconds=1, milliseconds=500), "1s500ms"),
        (timedelta(0), "0s"),
    ],
)
def test_format_duration_picks_readable_units(value: timedelta, expected: str) -> None:
    assert format_duration(value) == expected


def test_format_duration_refuses_negative() -> None:
    with pytest.raises(ValueError, match="never negative"):
        format_duration(timedelta(seconds=-1))


@given(st.timedeltas(min_value=timedelta(0)))
def test_parse_inverts_format(value: timedelta) -> None:
    assert parse_duration(format_duration(value)) == value


class _Holder(BaseModel):
    wait: Duration


def test_duration_field_reads_text_and_dumps_human_units() -> None:
    holder = _Holder.model_validate({"wait": "900s"})
    assert holder.wait == timedelta(minutes=15)
    assert holder.model_dump(mode="json") == {"wait": "15m"}
    assert holder.model_dump() == {"wait": timedelta(minutes=15)}


@pytest.mark.parametrize("value", [900, 1.5, "soon", None])
def test_duration_field_refuses_bare_numbers_and_junk(value: object) -> None:
    with pytest.raises(ValidationError, match="not a duration like 15m, 2h, 120ms"):
        _Holder.model_validate({"wait": value})

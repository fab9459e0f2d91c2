"""Times of day, opening hours and fault start times."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from scenarios import FaultTime, HoursRange, TimeOfDay


class _Clock(BaseModel):
    at: TimeOfDay
    hours: HoursRange
    fault: FaultTime


def _clock(at: object = "12:00", hours: object = "07:00-22:00", fault: object = "12:00") -> _Clock:
    return _Clock.model_validate({"at": at, "hours": hours, "fault": fault})


def test_time_of_day_round_trips_as_text() -> None:
    clock = _clock(at="05:30")
    assert clock.at == time(5, 30)
    assert clock.model_dump(mode="json")["at"] == "05:30"


@pytest.mark.parametrize("text", ["25:00", "12:60", "noon", "1200"])
def test_time_of_day_rejects(text: str) -> None:
    with pytest.raises(ValidationError, match="not a time of day like 12:00"):
        _clock(at=text)


def test_hours_range_holds_offsets_from_midnight() -> None:
    hours = _clock(hours="07:00-22:00").hours
    assert (hours.opens, hours.closes) == (timedelta(hours=7), timedelta(hours=22))
    assert hours.length == timedelta(hours=15)
    assert hours.contains(timedelta(hours=7))
    assert not hours.contains(timedelta(hours=22))
    assert str(hours) == "07:00-22:00"


def test_hours_range_allows_the_whole_day() -> None:
    hours = _clock(hours="00:00-24:00").hours
    assert hours.length == timedelta(days=1)
    assert str(hours) == "00:00-24:00"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("22:00-07:00", "must close after it opens"),
        ("07:00", "not opening hours like 07:00-22:00"),
        ("seven-ten", "not opening hours like 07:00-22:00"),
        ("24:00-24:00", "must close after it opens"),
    ],
)
def test_hours_range_rejects(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        _clock(hours=text)


START = datetime(2026, 11, 27, 7, 0)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("12:00", timedelta(hours=5)),
        ("d2 12:00", timedelta(days=1, hours=5)),
        ("+2h", timedelta(hours=2)),
        ("06:00", timedelta(hours=-1)),
    ],
)
def test_fault_time_resolves_against_the_start(text: str, offset: timedelta) -> None:
    fault = _clock(fault=text).fault
    assert fault.resolve(START) == offset
    assert str(fault) == text


@pytest.mark.parametrize("text", ["noon", "d0 12:00", "+soon", "2h"])
def test_fault_time_rejects(text: str) -> None:
    with pytest.raises(
        ValidationError, match=r'not a fault time like "12:00", "d2 12:00" or "\+2h"'
    ):
        _clock(fault=text)

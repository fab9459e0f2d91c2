"""Tryton's JSON: every ``__class__`` form round-trips; plain objects stay plain."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from erps.tryton.codec import dumps, loads


@pytest.mark.parametrize(
    "value",
    [
        Decimal("2.50"),
        dt.date(2026, 11, 23),
        dt.datetime(2026, 11, 23, 11, 5, 7, 120),
        dt.time(11, 5, 7),
        dt.timedelta(seconds=90.5),
        b"\x00tillbench",
        {"nested": [Decimal("-1.0800"), {"at": dt.date(2026, 1, 2)}], "n": 3, "s": "x"},
    ],
)
def test_values_round_trip(value: object) -> None:
    assert loads(dumps(value)) == value


def test_the_wire_form_of_a_decimal_and_a_date() -> None:
    text = dumps([Decimal("2.50"), dt.date(2026, 11, 23), ("a", None)])

    assert json.loads(text) == [
        {"__class__": "Decimal", "decimal": "2.50"},
        {"__class__": "date", "year": 2026, "month": 11, "day": 23},
        ["a", None],
    ]


def test_a_datetime_without_a_time_of_day_decodes_at_midnight() -> None:
    text = '{"__class__": "datetime", "year": 2026, "month": 11, "day": 23}'

    assert loads(text) == dt.datetime(2026, 11, 23)


def test_an_unknown_class_stays_a_dict() -> None:
    assert loads('{"__class__": "Money", "v": 1}') == {"__class__": "Money", "v": 1}

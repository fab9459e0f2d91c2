"""connectors.erp.tryton.codec: Tryton's JSON form of Decimals, dates, datetimes and bytes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from connectors.erp.tryton.codec import dumps, loads

DAY = dt.date(2026, 11, 23)


def test_tryton_json_round_trip() -> None:
    value = {
        "price": Decimal("2.50"),
        "day": DAY,
        "at": dt.datetime(2026, 11, 23, 11, 5, 7, 123456),
        "raw": b"\x00\xff",
        "nested": [Decimal("-0.0001"), {"q": 1.5}],
    }
    text = dumps(value)
    assert '{"__class__":"Decimal","decimal":"2.50"}' in text
    assert loads(text) == value

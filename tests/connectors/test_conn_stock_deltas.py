"""Stock-change arithmetic: adjustments as signed deltas, a physical count as the
difference to the book just before it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from connectors.common.stock_changes import adjustment_delta, count_before


def count(change_id: str, quantity: str, at: str) -> dict[str, Any]:
    return {
        "type": "PHYSICAL_COUNT",
        "physical_count": {"id": change_id, "quantity": quantity, "occurred_at": at},
    }


def adjust(change_id: str, frm: str, to: str, quantity: str, at: str) -> dict[str, Any]:
    return {
        "type": "ADJUSTMENT",
        "adjustment": {
            "id": change_id,
            "from_state": frm,
            "to_state": to,
            "quantity": quantity,
            "occurred_at": at,
        },
    }


@pytest.mark.parametrize(
    ("frm", "to", "delta"),
    [
        ("IN_STOCK", "WASTE", Decimal(-2)),
        ("IN_STOCK", "SOLD", Decimal(-2)),
        ("NONE", "IN_STOCK", Decimal(2)),
        ("WASTE", "NONE", Decimal(0)),
    ],
)
def test_adjustment_delta(frm: str, to: str, delta: Decimal) -> None:
    assert adjustment_delta({"from_state": frm, "to_state": to, "quantity": "2"}) == delta


def test_count_before_replays_in_occurred_at_order() -> None:
    history = [
        count("open", "40", "2026-11-23T06:00:00.000Z"),
        adjust("sale", "IN_STOCK", "SOLD", "3", "2026-11-23T11:00:00.000Z"),
        count("audit", "30", "2026-11-23T12:00:00.000Z"),
        adjust("late-waste", "IN_STOCK", "WASTE", "1", "2026-11-23T11:30:00.000Z"),
        adjust("after", "NONE", "IN_STOCK", "5", "2026-11-23T13:00:00.000Z"),
    ]
    assert count_before(history, "audit") == Decimal(36)
    assert count_before(history, "after") == Decimal(30)
    assert count_before(history, "open") == Decimal(0)

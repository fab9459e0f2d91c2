"""Square stock changes: adjustments as signed deltas, a physical count as the difference
to the book just before it; what is read since a cursor (never before the floor, the clock
of "now" injected) and what is left out (sales, returns, the connector's own
adjustments)."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from connectors.core.documents import StockChange
from connectors.core.http import HttpApi
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.pos.square.client import SquareClient
from connectors.pos.square.stock import SquareStock, adjustment_delta, count_before


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


class ScriptedSquare:
    """BatchRetrieveInventoryChanges and BatchRetrieveOrders over fixed data."""

    def __init__(self, changes: list[dict[str, Any]], orders: set[str]) -> None:
        self.changes = changes
        self.orders = orders
        self.queries: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path == "/v2/orders/batch-retrieve":
            found = [{"id": i} for i in body["order_ids"] if i in self.orders]
            return httpx.Response(200, json={"orders": found})
        self.queries.append(body)
        if "catalog_object_ids" in body:
            wanted = body["catalog_object_ids"]
            history = [c for c in self.changes if detail(c)["catalog_object_id"] in wanted]
            return httpx.Response(200, json={"changes": history})
        return httpx.Response(200, json={"changes": self.changes})


def detail(change: dict[str, Any]) -> dict[str, Any]:
    return dict(change.get("adjustment") or change.get("physical_count") or {})


def stamped(change: dict[str, Any], **more: str) -> dict[str, Any]:
    key = "adjustment" if change["type"] == "ADJUSTMENT" else "physical_count"
    return {
        "type": change["type"],
        key: {
            **change[key],
            "catalog_object_id": "VAR-A",
            "location_id": "S0001",
            "created_at": change[key]["occurred_at"],
            **more,
        },
    }


def square_stock(square: ScriptedSquare, now: datetime) -> SquareStock:
    api = HttpApi(
        "http://pos.test",
        "token",
        name="pos",
        policy=RetryPolicy(attempts=1),
        timeout=1.0,
        rng=random.Random(1),
        metrics=Metrics(),
        stop=threading.Event(),
        transport=httpx.MockTransport(square),
    )
    return SquareStock(
        SquareClient(api), skus=lambda ids: dict.fromkeys(ids, "SKU-A"), now=lambda: now
    )


def test_the_start_cursor_is_the_injected_now() -> None:
    now = datetime(2026, 11, 23, 11, 0, 0, 123456, tzinfo=UTC)
    assert square_stock(ScriptedSquare([], set()), now).start() == "2026-11-23T11:00:00.123Z"


def test_changes_since_the_cursor_become_deltas_sales_and_own_moves_left_out() -> None:
    changes = [
        stamped(count("open", "40", "2026-11-23T06:00:00.000Z")),
        stamped(adjust("sale", "IN_STOCK", "SOLD", "3", "2026-11-23T11:00:00.000Z")),
        stamped(adjust("waste", "IN_STOCK", "WASTE", "2", "2026-11-23T11:01:00.000Z")),
        stamped(
            adjust("refund", "NONE", "IN_STOCK", "1", "2026-11-23T11:02:00.000Z"),
            reference_id="ORDER-9",
        ),
        stamped(
            adjust("own", "NONE", "IN_STOCK", "5", "2026-11-23T11:03:00.000Z"),
            reference_id="erp-journal-line-7",
        ),
        stamped(count("audit", "30", "2026-11-23T11:04:00.000Z")),
    ]
    square = ScriptedSquare(changes, orders={"ORDER-9"})
    stock = square_stock(square, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    found, newest = stock.changes("2026-11-23T11:00:00.000Z", "2026-11-23T10:59:58.000Z")
    assert square.queries[0]["updated_after"] == "2026-11-23T10:59:58.000Z"
    assert newest == "2026-11-23T11:04:00.000Z"
    assert found == [
        StockChange("open", "S0001", "SKU-A", Decimal(40), "POS physical_count open"),
        StockChange("waste", "S0001", "SKU-A", Decimal(-2), "POS adjustment waste"),
        StockChange("audit", "S0001", "SKU-A", Decimal(30 - 41), "POS physical_count audit"),
    ]


def test_the_overlap_reaches_back_five_seconds_when_the_floor_allows() -> None:
    square = ScriptedSquare([], set())
    stock = square_stock(square, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert stock.changes("2026-11-23T11:00:00.000Z", "2026-11-23T09:00:00.000Z") == ([], None)
    assert square.queries[0]["updated_after"] == "2026-11-23T10:59:55.000Z"

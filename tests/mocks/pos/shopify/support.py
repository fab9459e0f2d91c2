"""Helpers for the Shopify dialect tests: settings, a loopback server (uvicorn in a thread,
so the test owns the cost bucket's clock), GraphQL calls and seeding through the driver."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from mocks.pos.shopify import ShopifySettings, create_app
from tests.mocks.support import on_loopback

TOKEN = "shpat_test_token"
ADMIN = {"Authorization": "Bearer pos-test-admin"}
VERSION = "2025-07"


def make_settings(tmp_path: Path, **overrides: Any) -> ShopifySettings:
    """Settings for one test: own database, instant payments, fast webhook polling."""
    values: dict[str, Any] = {
        "db_url": f"sqlite:///{tmp_path / 'pos.sqlite3'}",
        "api_tokens": {TOKEN: "qa"},
        "admin_token": "pos-test-admin",
        "payment_settle_seconds": 0,
        "refund_settle_seconds": 0,
        "journal_flush_interval": 0.05,
        "webhooks": {"poll_seconds": 0.02, "retry_base_seconds": 0.05, "jitter": 0},
    }
    values.update(overrides)
    return ShopifySettings.model_validate(values)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


@dataclass
class Shop:
    """A running Shopify mock: its base URL and a client."""

    base: str
    client: httpx.Client
    clock: FakeClock

    @property
    def endpoint(self) -> str:
        return f"{self.base}/admin/api/{VERSION}/graphql.json"

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST one GraphQL request; returns the JSON answer (asserting HTTP 200)."""
        response = self.client.post(
            self.endpoint,
            json={"query": query, "variables": variables or {}},
            headers={"X-Shopify-Access-Token": TOKEN},
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def ingest(self, *transactions: dict[str, Any]) -> None:
        response = self.client.post(
            f"{self.base}/driver/v1/transactions",
            json={"transactions": list(transactions)},
            headers=ADMIN,
        )
        assert response.status_code == 200, response.text

    def count(self, store: str, sku: str, quantity: str) -> None:
        response = self.client.post(
            f"{self.base}/driver/v1/inventory",
            json={
                "counts": [
                    {
                        "store_id": store,
                        "sku": sku,
                        "quantity": quantity,
                        "occurred_at": "2026-01-01T08:00:00Z",
                    }
                ]
            },
            headers=ADMIN,
        )
        assert response.status_code == 200, response.text


@contextmanager
def serve(settings: ShopifySettings, *, wall_clock: bool = False) -> Iterator[Shop]:
    """The Shopify mock on 127.0.0.1 (a free port) for the duration of the block; its cost
    bucket restores by a `FakeClock` the test moves (or by the wall clock)."""
    clock = FakeClock()
    app = create_app(settings, bucket_clock=time.monotonic if wall_clock else clock)
    with on_loopback(app, lifespan="on") as base, httpx.Client(timeout=10) as client:
        yield Shop(base, client, clock)


def sale(
    txn_id: str, *, store: str = "S1", sku: str = "SKU1", at: str = "2026-01-01T10:00:00Z"
) -> dict[str, Any]:
    """A card sale of 2 × 5.00 less 1.00 discount plus 0.72 tax."""
    return {
        "kind": "sale",
        "txn_id": txn_id,
        "store_id": store,
        "register_id": "R1",
        "completed_at": at,
        "lines": [
            {
                "line_no": 1,
                "sku": sku,
                "name": "Thing",
                "quantity": "2",
                "unit_price": 500,
                "discount": 100,
                "tax": 72,
                "tax_rate": "0.08",
            }
        ],
        "tenders": [{"kind": "card", "amount": 972}],
    }

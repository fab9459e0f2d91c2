"""create_pos_app: the POS engine under any dialect — the driver's door, the admin routes,
the dialect's error format, webhook headers and rate limit as admission."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.testclient import TestClient
from starlette.types import Scope

from mocks.core import ApiError
from mocks.pos.engine import Due, PosDialect, PosSettings, create_pos_app
from mocks.pos.engine.background import Dispatcher
from mocks.pos.engine.deps import Store, json
from mocks.pos.engine.events import emit_record
from mocks.pos.engine.orders import get_order
from mocks.pos.engine.subscriptions import create_subscription
from tests.mocks.pos.support import ADMIN

SALE = {
    "kind": "sale",
    "txn_id": "S1-R1-0001",
    "store_id": "S1",
    "register_id": "R1",
    "completed_at": "2026-11-27T10:15:00+00:00",
    "lines": [{"line_no": 1, "sku": "MILK", "quantity": "2", "unit_price": 149, "tax": 24}],
    "tenders": [{"kind": "cash", "amount": 322, "tendered": 400, "change": 78}],
}

toy_router = APIRouter(prefix="/toy")


@toy_router.get("/orders/{order_id}")
async def read_order(store: Store, order_id: str) -> Any:
    with store.db.connect() as conn:
        order = get_order(conn, order_id)
    return json({"id": order["id"], "state": order["state"]})


def _render(error: ApiError) -> Mapping[str, Any]:
    return {"oops": {"status": error.status, "field": error.field}}


def _headers(due: Due) -> dict[str, str]:
    return {"x-toy-signature": f"{due.signature_key[:4]}:{len(due.body)}"}


class _Refuse:
    """A toy rate limit: refuses every request to /toy/ with 429."""

    def __init__(self, settings: PosSettings, factor: Any) -> None:
        self.merchant = settings.merchant_id
        self.factor = factor

    @contextlib.asynccontextmanager
    async def __call__(self, scope: Scope, _credential: str | None) -> AsyncIterator[None]:
        if scope["path"].startswith("/toy/") and self.factor() < 1.0:
            raise ApiError(429, "slow down", headers={"Retry-After": "1"})
        yield


TOY = PosDialect(
    title="toy POS",
    version="0.1",
    description="",
    routers=[toy_router],
    render_error=_render,
    webhook_headers=_headers,
    admission=_Refuse,
)


def _settings(tmp_path: Path) -> PosSettings:
    return PosSettings.model_validate(
        {
            "db_url": f"sqlite:///{tmp_path / 'pos.sqlite3'}",
            "admin_token": "pos-test-admin",
            "api_tokens": {"pos-test-token": "qa"},
            "run_background": False,
        }
    )


def test_a_second_dialect_gets_the_driver_admin_and_its_own_errors(tmp_path: Path) -> None:
    with TestClient(create_pos_app(_settings(tmp_path), TOY)) as client:
        ingested = client.post(
            "/driver/v1/transactions", json={"transactions": [SALE]}, headers=ADMIN
        ).json()
        (result,) = ingested["results"]
        order = client.get(f"/toy/orders/{result['order_id']}")
        missing = client.get("/toy/orders/NOPE")
        bad_batch = client.post("/driver/v1/transactions", json={}, headers=ADMIN)
        outbox = client.get("/admin/pos/webhooks/outbox", headers=ADMIN)
        spec = client.get("/openapi.json").json()
    assert order.json() == {"id": result["order_id"], "state": "COMPLETED"}
    assert missing.status_code == 404
    assert missing.json() == {"oops": {"status": 404, "field": "order_id"}}
    assert bad_batch.status_code == 400
    assert bad_batch.json()["oops"]["field"] == "transactions"
    assert outbox.json() == {"outbox": {}}
    assert spec["info"] == {"title": "toy POS", "version": "0.1"}
    assert "/v2/orders" not in spec["paths"]


def test_the_dialects_admission_sees_its_settings_and_the_fault_factor(tmp_path: Path) -> None:
    with TestClient(create_pos_app(_settings(tmp_path), TOY)) as client:
        admission = client.app.state.mock.admission  # type: ignore[attr-defined]
        assert admission.merchant == "MLTILLBENCH01"
        assert client.get("/toy/orders/NOPE").status_code == 404
        client.post(
            "/admin/faults", json={"kind": "rate_limit", "factor": 0.5, "for": 60}, headers=ADMIN
        )
        refused = client.get("/toy/orders/NOPE")
    assert refused.status_code == 429
    assert refused.json() == {"oops": {"status": 429, "field": None}}


def test_deliveries_carry_the_dialects_headers(tmp_path: Path) -> None:
    app = create_pos_app(_settings(tmp_path), TOY)
    store = app.state.pos_store
    sent: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    with store.db.begin() as conn:
        subscription = create_subscription(
            conn,
            store,
            {"notification_url": "http://hooks.test/in", "event_types": ["customer.created"]},
        )
        emit_record(conn, store, "customer.created", "customer", {"id": "C1"})

    async def deliver() -> int:
        async with httpx.AsyncClient(transport=httpx.MockTransport(receive)) as client:
            dispatcher = Dispatcher(
                store, faults=None, rng=random.Random(1), headers=_headers, client=client
            )
            return await dispatcher.run_once(client)

    assert asyncio.run(deliver()) == 1
    (request,) = sent
    assert request.headers["content-type"] == "application/json"
    key = subscription["signature_key"][:4]
    assert request.headers["x-toy-signature"] == f"{key}:{len(request.content)}"
    assert "x-square-hmacsha256-signature" not in request.headers

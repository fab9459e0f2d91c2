"""Helpers of the Square route tests: payments and refunds, and the engine a little later."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.mocks.pos.support import key


def later(client: TestClient, seconds: float) -> Any:
    store = client.app.state.pos_store  # type: ignore[attr-defined]
    moment = store.clock() + timedelta(seconds=seconds)
    return replace(store, clock=lambda: moment)


def pay(client: TestClient, amount: int, **extra: Any) -> Any:
    return client.post(
        "/v2/payments",
        json={
            "idempotency_key": key("pay"),
            "source_id": "cnon:card-nonce-ok",
            "amount_money": {"amount": amount, "currency": "USD"},
            **extra,
        },
    )


def refund(client: TestClient, payment_id: str, amount: int) -> Any:
    return client.post(
        "/v2/refunds",
        json={
            "idempotency_key": key("ref"),
            "payment_id": payment_id,
            "amount_money": {"amount": amount, "currency": "USD"},
        },
    )

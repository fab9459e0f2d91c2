"""Durability and scale-out: acknowledged writes survive kill -9; several workers share
PostgreSQL without losing stock updates."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.mocks.pos.server_support import pos_server

PG_BASE = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)
PG_SCHEMA = "tillbench_pos_test"
PG_URL = f"{PG_BASE}{'&' if '?' in PG_BASE else '?'}options=-csearch_path%3D{PG_SCHEMA}"
API = {"Authorization": "Bearer pos-test-token"}
ADMIN = {"Authorization": "Bearer pos-test-admin"}


def settings(db_url: str) -> dict[str, Any]:
    return {
        "db_url": db_url,
        "api_tokens": {"pos-test-token": "qa"},
        "admin_token": "pos-test-admin",
        "payment_settle_seconds": 0,
    }


def sale(i: int, store: str = "S1") -> dict[str, Any]:
    return {
        "kind": "sale",
        "txn_id": f"T{i:05d}",
        "store_id": store,
        "register_id": "R1",
        "completed_at": "2026-11-27T10:00:00Z",
        "lines": [{"line_no": 1, "sku": "WATER", "quantity": "1", "unit_price": 100}],
        "tenders": [{"kind": "cash", "amount": 100}],
    }


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'pos.sqlite3'}"
    acknowledged: list[str] = []
    with pos_server(settings(db_url)) as (base, process), httpx.Client(base_url=base) as http:
        location = http.get("/v2/locations", headers=API).json()["locations"][0]["id"]
        for i in range(20):
            response = http.post(
                "/v2/orders",
                headers=API,
                json={
                    "idempotency_key": f"o{i}",
                    "order": {
                        "location_id": location,
                        "line_items": [
                            {
                                "name": "x",
                                "quantity": "1",
                                "base_price_money": {"amount": 100 + i, "currency": "USD"},
                            }
                        ],
                    },
                },
            )
            assert response.status_code == 200
            acknowledged.append(response.json()["order"]["id"])
        ingested = http.post(
            "/driver/v1/transactions",
            headers=ADMIN,
            json={"transactions": [sale(i) for i in range(30)]},
        )
        assert ingested.json()["created"] == 30
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with pos_server(settings(db_url)) as (base, _), httpx.Client(base_url=base) as http:
        for order_id in acknowledged:
            assert http.get(f"/v2/orders/{order_id}", headers=API).status_code == 200
        again = http.post(
            "/driver/v1/transactions",
            headers=ADMIN,
            json={"transactions": [sale(i) for i in range(30)]},
        )
        assert again.json()["existing"] == 30
        counts = http.post(
            "/v2/inventory/counts/batch-retrieve", headers=API, json={"location_ids": ["S1"]}
        ).json()["counts"]
        assert [c["quantity"] for c in counts] == ["-30"]


def _postgres_or_skip() -> sa.Engine:
    engine = sa.create_engine(PG_BASE.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
    except sa.exc.OperationalError as exc:
        pytest.skip(
            f"PostgreSQL not reachable at {PG_BASE} ({type(exc.orig).__name__}); run `make pg` "
            "(starts the cluster, creates the tillbench role and database) or set "
            "TILLBENCH_TEST_PG_URL"
        )
    return engine


@pytest.mark.slow
def test_workers_sharing_postgres_keep_stock_exact() -> None:
    engine = _postgres_or_skip()
    engine.dispose()
    with pos_server(settings(PG_URL), workers=2) as (base, _):
        with httpx.Client(base_url=base, timeout=30) as http:
            counts = [
                {
                    "store_id": "S1",
                    "sku": "WATER",
                    "quantity": "1000",
                    "occurred_at": "2026-11-27T07:00:00Z",
                }
            ]
            assert (
                http.post(
                    "/driver/v1/inventory", headers=ADMIN, json={"counts": counts}
                ).status_code
                == 200
            )

        def send(chunk: list[int]) -> list[int]:
            statuses = []
            with httpx.Client(base_url=base, timeout=30) as client:
                for i in chunk:
                    for _ in range(20):
                        response = client.post(
                            "/driver/v1/transactions",
                            headers=ADMIN,
                            json={"transactions": [sale(i)]},
                        )
                        if response.status_code not in (409, 503):
                            break
                    statuses.append(response.status_code)
            return statuses

        chunks = [list(range(k, 200, 8)) for k in range(8)]
        with ThreadPoolExecutor(8) as pool:
            statuses = [s for result in pool.map(send, chunks) for s in result]
        assert statuses == [200] * 200
        with httpx.Client(base_url=base) as http:
            stock = http.post(
                "/v2/inventory/counts/batch-retrieve", headers=API, json={"location_ids": ["S1"]}
            ).json()["counts"]
            assert [c["quantity"] for c in stock] == ["800"]
            orders = http.post(
                "/v2/orders/search", headers=API, json={"location_ids": ["S1"], "limit": 500}
            ).json()["orders"]
            assert len(orders) == 200

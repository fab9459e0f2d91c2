"""Square's token-bucket rate limit: 429 RATE_LIMITED with Retry-After, tightened by
`rate_limit` faults; the driver's door is exempt."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from mocks.pos.square import create_app
from tests.mocks.pos.support import ADMIN, API, make_settings

LINE = {"name": "x", "quantity": "1", "base_price_money": {"amount": 100, "currency": "USD"}}


def test_rate_limit_answers_429_rate_limited(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_second=0.5, rate_limit_burst=3))
    with TestClient(app, headers=API) as client:
        statuses = [client.get("/v2/locations").status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200]
        assert statuses[3:] == [429, 429]
        limited = client.get("/v2/locations")
        error = limited.json()["errors"][0]
        assert (error["category"], error["code"]) == ("RATE_LIMIT_ERROR", "RATE_LIMITED")
        assert int(limited.headers["retry-after"]) >= 1
        driver = client.post("/driver/v1/inventory", json={"counts": []}, headers=ADMIN)
        assert driver.status_code == 400


def test_rate_limit_fault_tightens_the_limit(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_second=0.01, rate_limit_burst=10))
    with TestClient(app, headers=API) as client:
        fault = client.post(
            "/admin/faults",
            json={"kind": "rate_limit", "target": "pos", "factor": 0.2, "for": 60},
            headers=ADMIN,
        )
        assert fault.status_code == 201, fault.text
        statuses = [client.get("/v2/locations").status_code for _ in range(4)]
        assert statuses == [200, 200, 429, 429]

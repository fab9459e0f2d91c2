"""create_erp_app: the engine under any dialect — capacity model as admission (split
across workers), the admin seed door, engine errors rendered by the dialect."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.testclient import TestClient

from mocks.core import ApiError, MockApp, api_principal, mock_context
from mocks.erp.engine import (
    ErpDialect,
    ErpError,
    ErpSettings,
    NotFound,
    catalog,
    create_erp_app,
    erp_state,
)
from mocks.erp.engine import tables as t
from tests.mocks.erp.support import ADMIN, API, BASE, CATALOG, seeded_client
from tests.mocks.erp.support import settings as erp_settings

toy_router = APIRouter(prefix="/toy", dependencies=[Depends(api_principal)])


@toy_router.get("/items/{number}")
def read_item(request: Request, number: str) -> dict[str, Any]:
    ctx = mock_context(request)
    with ctx.db.begin() as conn:
        (row,) = catalog.resolve(conn, t.items, [(None, number)], fields=[("id", "number")])
    assert row is not None
    return {"number": number, "id": row["id"]}


def _render(error: ApiError) -> Mapping[str, Any]:
    return {"oops": {"status": error.status, "code": error.code, "field": error.field}}


def _map(error: ErpError) -> ApiError:
    status = 404 if isinstance(error, NotFound) else 400
    return ApiError(status, error.message, code="TOY_" + type(error).__name__, field=error.field)


def _install(app: MockApp) -> None:
    app.include_router(toy_router)


TOY = ErpDialect(
    title="toy ERP",
    version="0.1",
    description="",
    render_error=_render,
    map_error=_map,
    install=_install,
)


def test_a_second_dialect_gets_the_engine_with_its_own_wire_format(tmp_path: Path) -> None:
    settings = ErpSettings.model_validate(
        {**erp_settings(tmp_path), "duplicates": "reject", "posting": "on_create"}
    )
    with TestClient(create_erp_app(settings, TOY)) as client:
        assert client.post("/admin/erp/catalog", json=CATALOG, headers=ADMIN).status_code == 200
        found = client.get("/toy/items/SKU-2", headers=API)
        missing = client.get("/toy/items/NOPE", headers=API)
        unauthorised = client.get("/toy/items/SKU-2")
        state = erp_state(client.app.state.mock)
    assert found.status_code == 200
    assert found.json()["number"] == "SKU-2"
    assert missing.status_code == 404
    assert missing.json() == {"oops": {"status": 404, "code": "TOY_NotFound", "field": "number"}}
    assert unauthorised.json() == {"oops": {"status": 401, "code": None, "field": "Authorization"}}
    assert state.settings is settings
    assert (state.policy.duplicates.value, state.policy.post_on_create) == ("reject", True)
    assert client.app.openapi()["info"] == {"title": "toy ERP", "version": "0.1"}


def test_app_window_returns_429_odata_error_with_retry_after(tmp_path: Path) -> None:
    settings = {"capacity": True, "window": {"requests": 3, "per": "1m"}}
    with seeded_client(tmp_path, **settings) as erp:
        statuses = [erp.get(f"{BASE}/items", headers=API).status_code for _ in range(3)]
        refused = erp.get(f"{BASE}/items", headers=API)
        other_user = erp.get(f"{BASE}/items", headers={"Authorization": "Bearer api-2"})
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "Application_TooManyRequests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert other_user.status_code == 200


def test_scenario_erp_section_is_accepted(tmp_path: Path) -> None:
    section = {  # as scenarios dump it (scenarios.load("erp-outage").model_dump(mode="json"))
        "concurrency": 5,
        "queue": 95,
        "window": {"requests": 6000, "per": "5m"},
        "latency": {"median": "1ms", "p99": "5ms", "load_factor": 0.25},
        "batch": {"max_operations": 100, "fixed": "200ms", "per_operation": "40ms"},
        "duplicates": "reject",
        "timeout": "8m",
    }
    with seeded_client(tmp_path, **section, capacity=True) as erp:
        assert erp.get(f"{BASE}/items", headers=API).status_code == 200
        model = erp.app.state.mock.admission
        assert (model.load_factor, model.latency.p99) == (0.25, 0.005)


def test_limits_are_split_across_workers(tmp_path: Path) -> None:
    from mocks.erp.bc import create_app
    from tests.mocks.erp.support import settings as erp_settings

    app = create_app(erp_settings(tmp_path, capacity=True, workers=2, concurrency=5))
    model = app.state.mock.admission
    assert (model.concurrency, model.queue, model.window_requests) == (2, 48, 3000)

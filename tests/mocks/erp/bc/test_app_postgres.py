"""Several uvicorn workers sharing PostgreSQL: no lost stock updates, no double claims."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from mocks.core import normalize_url
from mocks.core.process import MockProcess
from tests.mocks.erp.support import ADMIN, API, BASE, CATALOG, STOCK_URL, invoice

PG_URL = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)
SCHEMA = "tillbench_erp_test"
"""The ERP tests' own schema in the shared test database (dropped and recreated per test)."""

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_url() -> str:
    engine = sa.create_engine(normalize_url(PG_URL))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    except sa.exc.OperationalError as exc:
        pytest.skip(
            f"PostgreSQL not reachable at {PG_URL} ({type(exc.orig).__name__}); run `make pg` "
            "(starts the cluster, creates role and database) or set TILLBENCH_TEST_PG_URL"
        )
    finally:
        engine.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{SCHEMA}"


def test_two_workers_on_postgres_keep_stock_and_duplicates_exact(pg_url: str) -> None:
    config = {
        "db_url": pg_url,
        "api_tokens": {"api-1": "alice"},
        "admin_token": "admin-1",
        "capacity": False,
    }
    with MockProcess("mocks.erp.bc.app:create_app", settings=config, workers=2) as server:
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            assert http.post("/admin/erp/catalog", json=CATALOG, headers=ADMIN).is_success

        def post(body: dict) -> int:
            with httpx.Client(base_url=server.base_url, timeout=30) as client:
                return client.post(f"{BASE}/salesInvoices", json=body, headers=API).status_code

        bodies = [invoice(f"PG-{i}", ("SKU-1", "S001", 1), ("SKU-2", "S001", 1)) for i in range(40)]
        same = [invoice("PG-SAME", ("SKU-1", "S001", 1))] * 12
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(post, bodies + same))
        assert statuses[:40] == [201] * 40
        assert sorted(statuses[40:]) == [201] + [409] * 11

        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            levels = {
                (r["locationCode"], r["itemNumber"]): r["inventory"]
                for r in http.get(STOCK_URL, headers=API).json()["value"]
            }
            assert levels[("S001", "SKU-1")] == 100 - 40 - 1
            assert levels[("S001", "SKU-2")] == 50 - 40
            rows = http.get(
                "/admin/journal", params={"method": "POST", "limit": 10_000}, headers=ADMIN
            ).json()["rows"]
    workers = {r["worker"] for r in rows if r["path"].endswith("/salesInvoices")}
    assert len(workers) == 2

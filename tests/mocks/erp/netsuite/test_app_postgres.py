"""The NetSuite dialect on PostgreSQL: SuiteQL's rewritten queries (views with UNION ALL,
quoted identifiers, TO_CHAR, LIKE patterns with ``%``) run there as on SQLite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from mocks.core import normalize_url
from tests.mocks.erp.netsuite.support import (
    RECORD,
    SUITEQL,
    cash_sale,
    on_hand,
    serve_netsuite,
    signed,
)

PG_URL = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)
SCHEMA = "tillbench_netsuite_test"

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_url() -> str:
    engine = sa.create_engine(normalize_url(PG_URL))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({type(exc.orig).__name__})")
    finally:
        engine.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{SCHEMA}"


@pytest.fixture
def ns(tmp_path: Path, pg_url: str) -> Iterator[httpx.Client]:
    with serve_netsuite(tmp_path, db_url=pg_url) as base, signed(base) as client:
        yield client


def test_suiteql_on_postgresql(ns: httpx.Client) -> None:
    assert ns.post(f"{RECORD}/cashSale", json=cash_sale("PG-1", ("SKU-1", "S001", 2))).is_success
    adjustment = {
        "externalId": "PG-ADJ",
        "adjLocation": {"externalId": "S001"},
        "inventory": {"items": [{"item": {"externalId": "SKU-1"}, "adjustQtyBy": 5}]},
    }
    assert ns.post(f"{RECORD}/inventoryAdjustment", json=adjustment).is_success
    assert on_hand(ns, "SKU-1", "S001") == 103.0
    q = (
        "SELECT t.type, t.externalid, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS day, "
        "SUM(l.quantity) AS qty FROM transaction t JOIN transactionline l "
        "ON l.transaction = t.id WHERE t.externalid LIKE 'PG-%' "
        "GROUP BY t.type, t.externalid, t.trandate ORDER BY t.externalid"
    )
    response = ns.post(SUITEQL, json={"q": q}, headers={"Prefer": "transient"})
    assert response.status_code == 200, response.text
    rows = [(r["type"], r["externalid"], r["qty"]) for r in response.json()["items"]]
    assert rows == [("CashSale", "PG-1", "2"), ("InvAdjst", "PG-ADJ", "5")]

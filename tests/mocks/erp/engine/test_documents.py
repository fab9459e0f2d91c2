"""Posts that share a group commit: one master-data query per batch, duplicate checks and
document numbers read at the end of the batch (a pipeline on PostgreSQL), and the same
answers as one by one. Each test runs on SQLite and (slow) on PostgreSQL, with documents
posted on create and duplicates refused (the options that make one POST one posting)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from mocks.core import normalize_url
from mocks.erp.engine import catalog, documents
from mocks.erp.engine import tables as t
from mocks.erp.engine.errors import Invalid
from mocks.erp.engine.model import DocKind, DocumentInput, LineInput, Policy
from tests.mocks.erp.support import ADMIN, API, BASE, credit_memo, invoice, seeded_client, stock_of

PG_URL = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)
SCHEMA = "tillbench_erp_batched_test"


def _pg_schema() -> str:
    engine = sa.create_engine(normalize_url(PG_URL))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    except sa.exc.OperationalError:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}; run `make pg`")
    finally:
        engine.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{SCHEMA}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def erp(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    overrides = {"db_url": _pg_schema()} if request.param == "postgresql" else {}
    with seeded_client(tmp_path, posting="on_create", duplicates="reject", **overrides) as client:
        yield client


def _post_together(erp: TestClient, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    async def post_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=erp.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://erp") as client:
            return list(
                await asyncio.gather(
                    *(client.post(f"{BASE}/salesInvoices", json=b, headers=API) for b in bodies)
                )
            )

    return asyncio.run(post_all())


def test_documents_of_one_batch_get_distinct_numbers(erp: TestClient) -> None:
    bodies = [invoice(f"N-{i}", ("SKU-1", "S001", 1)) for i in range(20)]
    answers = _post_together(erp, bodies)
    assert [a.status_code for a in answers] == [201] * 20
    numbers = [a.json()["number"] for a in answers]
    assert len(set(numbers)) == 20
    assert all(numbers)
    assert erp.app.state.mock.committer.batches < 20


def test_taken_number_is_reported_before_a_bad_line(erp: TestClient) -> None:
    first = erp.post(
        f"{BASE}/salesInvoices", json=invoice("P-1", ("SKU-1", "S001", 1)), headers=API
    )
    assert first.status_code == 201
    both_wrong = invoice("P-1", ("GHOST", "S001", 1))
    again = erp.post(f"{BASE}/salesInvoices", json=both_wrong, headers=API)
    assert again.status_code == 409
    assert again.json()["error"]["target"] == "externalDocumentNumber"
    fresh = erp.post(
        f"{BASE}/salesInvoices", json=invoice("P-2", ("GHOST", "S001", 1)), headers=API
    )
    assert fresh.status_code == 400
    assert stock_of(erp, "SKU-1", "S001") == 99


def _doc(ext: str, sku: str) -> DocumentInput:
    return DocumentInput(
        DocKind.INVOICE,
        external_document_number=ext,
        customer_number="RETAIL",
        lines=[
            LineInput(
                where="salesInvoiceLines[0]",
                quantity=Decimal(1),
                item_number=sku,
                location_code="S001",
            )
        ],
    )


def test_an_item_blocked_earlier_in_the_batch_is_refused(erp: TestClient) -> None:
    ctx = erp.app.state.mock

    def block(conn: Any) -> None:
        conn.execute(update(t.items).where(t.items.c.number == "SKU-1").values(blocked=True))

    doc = _doc("B-1", "SKU-1")

    async def scenario() -> list[object]:
        return await asyncio.gather(
            ctx.committer.run(block),
            ctx.committer.run(
                lambda conn: documents.create(conn, doc, policy=Policy(), defer_checks=True),
                hint=documents.master_data(doc),
            ),
            return_exceptions=True,
        )

    blocked, refused = asyncio.run(scenario())
    assert blocked is None
    assert isinstance(refused, Invalid)
    assert "blocked" in str(refused)


def test_batch_prefetch_needs_a_hint_from_every_piece(erp: TestClient) -> None:
    hook = catalog.BatchPrefetch()
    ctx = erp.app.state.mock
    wanted = documents.master_data(_doc("H-1", "SKU-1"))
    with ctx.db.begin() as conn:
        hook.begin(conn)
        hook.prepare(conn, [wanted, None])
        assert catalog._BATCH_PREFETCH not in conn.info
        hook.prepare(conn, [wanted, wanted])
        fetched = conn.info[catalog._BATCH_PREFETCH]
        assert [row["number"] for row in fetched[t.items.name].rows] == ["SKU-1"]
        hook.end(conn, committed=False)
        assert catalog._BATCH_PREFETCH not in conn.info
        sku = conn.execute(select(t.items.c.number).where(t.items.c.number == "SKU-1"))
        assert sku.scalar_one() == "SKU-1"


@pytest.mark.parametrize("count", [1, 7])
def test_one_post_or_many_move_the_same_stock(erp: TestClient, count: int) -> None:
    bodies = [
        invoice(f"S-{count}-{i}", ("SKU-1", "S001", 2), ("SKU-2", "S001", 1)) for i in range(count)
    ]
    assert {a.status_code for a in _post_together(erp, bodies)} == {201}
    assert stock_of(erp, "SKU-1", "S001") == 100 - 2 * count
    assert stock_of(erp, "SKU-2", "S001") == 50 - count


def test_if_match_changes_and_refusals_next_to_posts(erp: TestClient) -> None:
    seed = {"customers": [{"number": "RETAIL"}, {"number": "SHUT", "displayName": "Shut"}]}
    assert erp.post("/admin/erp/catalog", json=seed, headers=ADMIN).status_code == 200
    found = erp.get(f"{BASE}/customers", params={"$filter": "number eq 'SHUT'"}, headers=API)
    record = found.json()["value"][0]
    url = f"{BASE}/customers({record['id']})"
    patched = erp.patch(
        url, json={"blocked": "All"}, headers={**API, "If-Match": record["@odata.etag"]}
    )
    assert patched.status_code == 200
    stale = erp.patch(
        url, json={"displayName": "Old"}, headers={**API, "If-Match": record["@odata.etag"]}
    )
    assert stale.status_code == 412
    bodies = [
        invoice("M-1", ("SKU-1", "S001", 1), customerNumber="SHUT"),
        invoice("M-2", ("SKU-1", "S001", 1)),
    ]
    refused, posted = _post_together(erp, bodies)
    assert refused.status_code == 400
    assert refused.json()["error"]["target"] == "customerNumber"
    assert posted.status_code == 201
    memo = credit_memo("M-2", ("SKU-1", "S001", 1), invoiceNumber=posted.json()["number"])
    answer = erp.post(f"{BASE}/salesCreditMemos", json=memo, headers=API)
    assert answer.status_code == 201
    assert answer.json()["invoiceId"] == posted.json()["id"]
    assert stock_of(erp, "SKU-1", "S001") == 100

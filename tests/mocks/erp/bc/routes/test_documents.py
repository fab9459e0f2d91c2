"""Sales invoices and credit memos: stock per store when posted, totals and tax,
duplicates, blocked records, concurrent posts. Drafts, editing and posting as Microsoft
documents them: test_posting.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.erp.support import (
    API,
    BASE,
    create_and_post,
    credit_memo,
    invoice,
    seeded_client,
    stock_of,
)


def test_posted_invoice_reduces_stock_in_its_store(erp: TestClient) -> None:
    body = invoice("POS-1", ("SKU-1", "S001", 3), ("SKU-2", "S001", 2), ("SKU-1", "S002", 1))
    doc = create_and_post(erp, "salesInvoices", body)
    assert doc["status"] == "Open"
    assert stock_of(erp, "SKU-1", "S001") == 97
    assert stock_of(erp, "SKU-2", "S001") == 48
    assert stock_of(erp, "SKU-1", "S002") == 9


def test_invoice_totals_and_tax(erp: TestClient) -> None:
    body = invoice("POS-T", ("SKU-1", "S001", 3))
    body["salesInvoiceLines"][0] |= {"unitPrice": 1.29, "taxPercent": 8, "discountAmount": 0.1}
    doc = erp.post(f"{BASE}/salesInvoices", json=body, headers=API).json()
    assert doc["totalAmountExcludingTax"] == 3.77
    assert doc["totalTaxAmount"] == 0.30
    assert doc["totalAmountIncludingTax"] == 4.07
    assert doc["number"].startswith("S-INV")


def test_prices_including_tax_split_out_the_tax(erp: TestClient) -> None:
    body = invoice("POS-I", ("SKU-2", "S001", 1), pricesIncludeTax=True)
    body["salesInvoiceLines"][0] |= {"unitPrice": 10.80, "taxPercent": 8}
    doc = erp.post(f"{BASE}/salesInvoices", json=body, headers=API).json()
    assert doc["totalAmountIncludingTax"] == 10.80
    assert doc["totalAmountExcludingTax"] == 10.00


def test_unit_price_defaults_to_item_price(erp: TestClient) -> None:
    doc = erp.post(
        f"{BASE}/salesInvoices",
        json=invoice("POS-P", ("SKU-3", "S001", 2)),
        headers=API,
        params={"$expand": "salesInvoiceLines"},
    ).json()
    assert doc["totalAmountExcludingTax"] == 6.20


def test_posted_credit_memo_restores_stock(erp: TestClient) -> None:
    create_and_post(erp, "salesInvoices", invoice("POS-2", ("SKU-1", "S001", 5)))
    memo = create_and_post(erp, "salesCreditMemos", credit_memo("RET-2", ("SKU-1", "S001", 2)))
    assert "creditMemoDate" in memo
    assert memo["number"].startswith("PS-CR")
    assert stock_of(erp, "SKU-1", "S001") == 97


def test_credit_memo_references_an_existing_invoice(erp: TestClient) -> None:
    inv = erp.post(
        f"{BASE}/salesInvoices", json=invoice("POS-R", ("SKU-1", "S001", 1)), headers=API
    ).json()
    ok = erp.post(
        f"{BASE}/salesCreditMemos",
        json=credit_memo("RET-R", ("SKU-1", "S001", 1), invoiceId=inv["id"]),
        headers=API,
    )
    assert ok.json()["invoiceId"] == inv["id"]
    bad = erp.post(
        f"{BASE}/salesCreditMemos",
        json=credit_memo("RET-X", ("SKU-1", "S001", 1), invoiceNumber="S-INV999999"),
        headers=API,
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["target"] == "invoiceNumber"


def test_unknown_item_is_400_naming_the_item_and_field(erp: TestClient) -> None:
    response = erp.post(
        f"{BASE}/salesInvoices",
        json=invoice("POS-3", ("SKU-1", "S001", 1), ("NOPE-9", "S001", 1)),
        headers=API,
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["target"] == "salesInvoiceLines[1].lineObjectNumber"
    assert "No.='NOPE-9'" in error["message"]
    assert stock_of(erp, "SKU-1", "S001") == 100


def test_unknown_store_is_400_naming_it(erp: TestClient) -> None:
    response = erp.post(
        f"{BASE}/salesInvoices", json=invoice("POS-4", ("SKU-1", "S999", 1)), headers=API
    )
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "salesInvoiceLines[0].locationCode"
    assert "S999" in response.json()["error"]["message"]


def test_unknown_customer_is_400(erp: TestClient) -> None:
    body = invoice("POS-5", ("SKU-1", "S001", 1), customerNumber="GHOST")
    response = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "customerNumber"


def test_duplicate_external_number_rejected_with_409_when_asked(tmp_path: Path) -> None:
    with seeded_client(tmp_path, duplicates="reject") as erp:
        body = invoice("POS-DUP", ("SKU-1", "S001", 1))
        create_and_post(erp, "salesInvoices", body)
        again = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
        assert again.status_code == 409
        assert again.json()["error"]["target"] == "externalDocumentNumber"
        assert stock_of(erp, "SKU-1", "S001") == 99
        memo = erp.post(
            f"{BASE}/salesCreditMemos",
            json=credit_memo("POS-DUP", ("SKU-1", "S001", 1)),
            headers=API,
        )
        assert memo.status_code == 201


def test_duplicate_external_number_is_accepted_by_default(erp: TestClient) -> None:
    body = invoice("POS-DUP", ("SKU-1", "S001", 1))
    first = create_and_post(erp, "salesInvoices", body)
    second = create_and_post(erp, "salesInvoices", body)
    assert first["id"] != second["id"]
    assert first["number"] != second["number"]
    assert stock_of(erp, "SKU-1", "S001") == 98
    found = erp.get(
        f"{BASE}/salesInvoices",
        params={"$filter": "externalDocumentNumber eq 'POS-DUP'"},
        headers=API,
    ).json()["value"]
    assert len(found) == 2


def test_posting_on_create_is_an_explicit_option(tmp_path: Path) -> None:
    with seeded_client(tmp_path, posting="on_create") as erp:
        created = erp.post(
            f"{BASE}/salesInvoices", json=invoice("OC-1", ("SKU-1", "S001", 4)), headers=API
        )
        assert created.json()["status"] == "Open"
        assert created.json()["number"].startswith("PS-INV")
        assert stock_of(erp, "SKU-1", "S001") == 96


def test_fractional_quantities_are_exact(erp: TestClient) -> None:
    for index in range(10):
        create_and_post(erp, "salesInvoices", invoice(f"F-{index}", ("SKU-1", "S001", 0.1)))
    assert Decimal(str(stock_of(erp, "SKU-1", "S001"))) == Decimal(99)


def test_blocked_item_and_customer_are_refused(erp: TestClient) -> None:
    from tests.mocks.erp.support import ADMIN

    seed = {
        "items": [{"number": "SKU-9", "unitPrice": "1", "blocked": True}],
        "customers": [
            {"number": "RETAIL", "displayName": "Retail"},
            {"number": "SHUT", "displayName": "Shut"},
        ],
    }
    assert erp.post("/admin/erp/catalog", json=seed, headers=ADMIN).status_code == 200
    customer = erp.get(f"{BASE}/customers", params={"$filter": "number eq 'SHUT'"}, headers=API)
    record = customer.json()["value"][0]
    patched = erp.patch(
        f"{BASE}/customers({record['id']})",
        json={"blocked": "All"},
        headers={**API, "If-Match": "*"},
    )
    assert patched.status_code == 200
    item = erp.post(f"{BASE}/salesInvoices", json=invoice("B-1", ("SKU-9", "S001", 1)), headers=API)
    assert item.status_code == 400
    assert item.json()["error"]["target"] == "salesInvoiceLines[0].itemId"
    body = invoice("B-2", ("SKU-1", "S001", 1), customerNumber="SHUT")
    shut = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
    assert shut.status_code == 400
    assert shut.json()["error"]["target"] == "customerNumber"
    ok = erp.post(f"{BASE}/salesInvoices", json=invoice("B-3", ("SKU-1", "S001", 1)), headers=API)
    assert ok.status_code == 201


def test_concurrent_posts_batch_commits_and_failures_leave_no_stock_trace(
    tmp_path: Path,
) -> None:
    """Group commit under concurrent document POSTs, with post-on-create and duplicates
    refused (the options), so one POST is one posting."""
    import asyncio

    import httpx

    bodies = [invoice(f"C-{i}", ("SKU-1", "S001", 1), ("SKU-2", "S001", 1)) for i in range(12)]
    bodies[3] = invoice("C-bad", ("SKU-1", "S001", 5), ("GHOST", "S001", 1))
    bodies[7] = invoice("C-0", ("SKU-1", "S001", 1), ("SKU-2", "S001", 1))

    with seeded_client(tmp_path, posting="on_create", duplicates="reject") as erp:

        async def post_all() -> list[int]:
            transport = httpx.ASGITransport(app=erp.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://erp") as client:
                answers = await asyncio.gather(
                    *(client.post(f"{BASE}/salesInvoices", json=b, headers=API) for b in bodies)
                )
            return [a.status_code for a in answers]

        statuses = asyncio.run(post_all())
        assert statuses.count(201) == 10
        assert sorted(s for s in statuses if s != 201) == [400, 409]
        assert stock_of(erp, "SKU-1", "S001") == 100 - 10
        assert stock_of(erp, "SKU-2", "S001") == 50 - 10
        assert erp.app.state.mock.committer.batches < 10

"""Sales invoices and credit memos: stock per store, totals and tax, duplicates, drafts,
lines on posted documents, blocked records, concurrent posts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, credit_memo, invoice, seeded_client, stock_of


def test_invoice_reduces_stock_in_its_store(erp: TestClient) -> None:
    response = erp.post(
        f"{BASE}/salesInvoices",
        json=invoice("POS-1", ("SKU-1", "S001", 3), ("SKU-2", "S001", 2), ("SKU-1", "S002", 1)),
        headers=API,
    )
    assert response.status_code == 201
    assert response.json()["status"] == "Open"
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


def test_credit_memo_restores_stock(erp: TestClient) -> None:
    erp.post(f"{BASE}/salesInvoices", json=invoice("POS-2", ("SKU-1", "S001", 5)), headers=API)
    response = erp.post(
        f"{BASE}/salesCreditMemos", json=credit_memo("RET-2", ("SKU-1", "S001", 2)), headers=API
    )
    assert response.status_code == 201
    assert "creditMemoDate" in response.json()
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


def test_duplicate_external_number_rejected_with_409(erp: TestClient) -> None:
    body = invoice("POS-DUP", ("SKU-1", "S001", 1))
    assert erp.post(f"{BASE}/salesInvoices", json=body, headers=API).status_code == 201
    again = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
    assert again.status_code == 409
    assert again.json()["error"]["target"] == "externalDocumentNumber"
    assert stock_of(erp, "SKU-1", "S001") == 99
    memo = erp.post(
        f"{BASE}/salesCreditMemos", json=credit_memo("POS-DUP", ("SKU-1", "S001", 1)), headers=API
    )
    assert memo.status_code == 201


def test_duplicate_external_number_double_posts_when_accepted(tmp_path: Path) -> None:
    with seeded_client(tmp_path, duplicates="accept") as erp:
        body = invoice("POS-DUP", ("SKU-1", "S001", 1))
        first = erp.post(f"{BASE}/salesInvoices", json=body, headers=API).json()
        second = erp.post(f"{BASE}/salesInvoices", json=body, headers=API).json()
        assert first["id"] != second["id"]
        assert stock_of(erp, "SKU-1", "S001") == 98
        found = erp.get(
            f"{BASE}/salesInvoices",
            params={"$filter": "externalDocumentNumber eq 'POS-DUP'"},
            headers=API,
        ).json()["value"]
        assert len(found) == 2


def test_draft_moves_stock_only_when_posted(tmp_path: Path) -> None:
    with seeded_client(tmp_path, post_on_create=False) as erp:
        doc = erp.post(
            f"{BASE}/salesInvoices", json=invoice("D-1", ("SKU-1", "S001", 4)), headers=API
        ).json()
        assert doc["status"] == "Draft"
        assert stock_of(erp, "SKU-1", "S001") == 100
        posted = erp.post(f"{BASE}/salesInvoices({doc['id']})/Microsoft.NAV.post", headers=API)
        assert posted.status_code == 204
        assert stock_of(erp, "SKU-1", "S001") == 96
        twice = erp.post(f"{BASE}/salesInvoices({doc['id']})/Microsoft.NAV.post", headers=API)
        assert twice.status_code == 400
        assert stock_of(erp, "SKU-1", "S001") == 96


def test_lines_added_and_removed_on_posted_invoice_move_stock(erp: TestClient) -> None:
    doc = erp.post(f"{BASE}/salesInvoices", json=invoice("H-1"), headers=API).json()
    url = f"{BASE}/salesInvoices({doc['id']})/salesInvoiceLines"
    line = erp.post(
        url, json={"lineObjectNumber": "SKU-2", "locationCode": "S001", "quantity": 5}, headers=API
    ).json()
    assert stock_of(erp, "SKU-2", "S001") == 45
    line_url = f"{url}({line['id']})"
    patched = erp.patch(
        line_url, json={"quantity": 2}, headers={**API, "If-Match": line["@odata.etag"]}
    )
    assert patched.status_code == 200
    assert stock_of(erp, "SKU-2", "S001") == 48
    header = erp.get(f"{BASE}/salesInvoices({doc['id']})", headers=API).json()
    assert header["totalAmountExcludingTax"] == 5.0
    deleted = erp.delete(line_url, headers={**API, "If-Match": patched.json()["@odata.etag"]})
    assert deleted.status_code == 204
    assert stock_of(erp, "SKU-2", "S001") == 50


def test_posted_invoice_cannot_be_deleted(erp: TestClient) -> None:
    doc = erp.post(
        f"{BASE}/salesInvoices", json=invoice("X-1", ("SKU-1", "S001", 1)), headers=API
    ).json()
    response = erp.delete(
        f"{BASE}/salesInvoices({doc['id']})", headers={**API, "If-Match": doc["@odata.etag"]}
    )
    assert response.status_code == 400
    assert stock_of(erp, "SKU-1", "S001") == 99


def test_fractional_quantities_are_exact(erp: TestClient) -> None:
    for index in range(10):
        erp.post(
            f"{BASE}/salesInvoices",
            json=invoice(f"F-{index}", ("SKU-1", "S001", 0.1)),
            headers=API,
        )
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
    erp: TestClient,
) -> None:
    import asyncio

    import httpx

    bodies = [invoice(f"C-{i}", ("SKU-1", "S001", 1), ("SKU-2", "S001", 1)) for i in range(12)]
    bodies[3] = invoice("C-bad", ("SKU-1", "S001", 5), ("GHOST", "S001", 1))
    bodies[7] = invoice("C-0", ("SKU-1", "S001", 1), ("SKU-2", "S001", 1))

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

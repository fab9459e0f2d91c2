"""OData behaviour: ETag / If-Match, paging with @odata.nextLink, $filter, $skiptoken."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, STOCK_URL, invoice, seeded_client


def _item(erp: TestClient, number: str = "SKU-1") -> dict:
    found = erp.get(f"{BASE}/items", params={"$filter": f"number eq '{number}'"}, headers=API)
    return found.json()["value"][0]


def test_patch_with_current_etag_changes_the_record_and_its_etag(erp: TestClient) -> None:
    item = _item(erp)
    response = erp.patch(
        f"{BASE}/items({item['id']})",
        json={"unitPrice": 1.49},
        headers={**API, "If-Match": item["@odata.etag"]},
    )
    assert response.status_code == 200
    assert response.json()["unitPrice"] == 1.49
    assert response.json()["@odata.etag"] != item["@odata.etag"]


def test_stale_etag_is_412(erp: TestClient) -> None:
    item = _item(erp)
    url = f"{BASE}/items({item['id']})"
    erp.patch(url, json={"unitPrice": 1.49}, headers={**API, "If-Match": item["@odata.etag"]})
    stale = erp.patch(url, json={"unitPrice": 9}, headers={**API, "If-Match": item["@odata.etag"]})
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "Request_EntityChanged"
    assert _item(erp)["unitPrice"] == 1.49
    delete = erp.delete(url, headers={**API, "If-Match": item["@odata.etag"]})
    assert delete.status_code == 412


def test_etag_of_another_record_is_412(erp: TestClient) -> None:
    one, two = _item(erp, "SKU-1"), _item(erp, "SKU-2")
    response = erp.patch(
        f"{BASE}/items({one['id']})",
        json={"displayName": "x"},
        headers={**API, "If-Match": two["@odata.etag"]},
    )
    assert response.status_code == 412


def test_missing_if_match_is_428_and_star_matches_any(erp: TestClient) -> None:
    item = _item(erp)
    url = f"{BASE}/items({item['id']})"
    missing = erp.patch(url, json={"displayName": "x"}, headers=API)
    assert missing.status_code == 428
    assert missing.json()["error"]["target"] == "If-Match"
    star = erp.patch(url, json={"displayName": "y"}, headers={**API, "If-Match": "*"})
    assert star.json()["displayName"] == "y"


def test_paging_follows_next_link_to_the_end(tmp_path: Path) -> None:
    with seeded_client(tmp_path, page_size=2) as erp:
        for index in range(5):
            erp.post(
                f"{BASE}/salesInvoices",
                json=invoice(f"P-{index}", ("SKU-1", "S001", 1)),
                headers=API,
            )
        seen: list[str] = []
        url: str | None = f"{BASE}/salesInvoices"
        pages = 0
        while url:
            body = erp.get(url, headers=API).json()
            assert len(body["value"]) <= 2
            seen += [doc["externalDocumentNumber"] for doc in body["value"]]
            url = body.get("@odata.nextLink")
            pages += 1
        assert seen == [f"P-{i}" for i in range(5)]
        assert pages == 3


def test_top_caps_the_result_without_next_link(tmp_path: Path) -> None:
    with seeded_client(tmp_path, page_size=2) as erp:
        body = erp.get(f"{BASE}/items", params={"$top": 1}, headers=API).json()
        assert len(body["value"]) == 1
        assert "@odata.nextLink" not in body


def test_prefer_maxpagesize_shrinks_pages(erp: TestClient) -> None:
    body = erp.get(f"{BASE}/items", headers={**API, "Prefer": "odata.maxpagesize=1"}).json()
    assert len(body["value"]) == 1
    assert "$skiptoken" in body["@odata.nextLink"]


def test_stock_read_back_pages_over_store_and_sku(tmp_path: Path) -> None:
    with seeded_client(tmp_path, page_size=2) as erp:
        rows: list[tuple[str, str, float]] = []
        url: str | None = STOCK_URL
        while url:
            body = erp.get(url, headers=API).json()
            rows += [(r["locationCode"], r["itemNumber"], r["inventory"]) for r in body["value"]]
            url = body.get("@odata.nextLink")
        assert rows == [("S001", "SKU-1", 100), ("S001", "SKU-2", 50), ("S002", "SKU-1", 10)]


def test_bad_filter_is_400_naming_filter(erp: TestClient) -> None:
    response = erp.get(f"{BASE}/items", params={"$filter": "price gt 3"}, headers=API)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "$filter"
    garbage = erp.get(f"{BASE}/items", params={"$filter": "number eq"}, headers=API)
    assert garbage.status_code == 400


def test_bad_skiptoken_is_400(erp: TestClient) -> None:
    response = erp.get(f"{BASE}/items", params={"$skiptoken": "%%%"}, headers=API)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "$skiptoken"


def test_forged_skiptokens_are_400(erp: TestClient) -> None:
    from mocks.erp.bc.odata import encode_token

    for url, token in [
        (f"{BASE}/salesInvoices", encode_token(2**70)),
        (f"{BASE}/salesInvoices", encode_token("abc")),
        (f"{BASE}/items", encode_token({"x": 1})),
        (STOCK_URL, encode_token(5)),
    ]:
        response = erp.get(url, params={"$skiptoken": token}, headers=API)
        assert response.status_code == 400, url
        assert response.json()["error"]["target"] == "$skiptoken"


def test_huge_number_filter_matches_nothing(erp: TestClient) -> None:
    response = erp.get(
        f"{BASE}/salesInvoices", params={"$filter": f"number eq '{'9' * 40}'"}, headers=API
    )
    assert response.json()["value"] == []


def test_filter_accepts_unquoted_datetime_literals(erp: TestClient) -> None:
    before = erp.get(
        f"{BASE}/items",
        params={"$filter": "lastModifiedDateTime gt 2000-01-01T00:00:00Z"},
        headers=API,
    ).json()["value"]
    after = erp.get(
        f"{BASE}/items",
        params={"$filter": "lastModifiedDateTime gt 2999-01-01T00:00:00.000+02:00"},
        headers=API,
    ).json()["value"]
    assert (len(before), after) == (3, [])

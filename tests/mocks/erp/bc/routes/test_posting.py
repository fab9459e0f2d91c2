"""Drafts, editing and posting, as Microsoft's API v2.0 reference describes them:

- "Create salesInvoices": POST → 201 and the document; it is a draft (status ``Draft``,
  "Invoices created through the API must be in Draft state" in the API's own code).
- "Update salesInvoices": PATCH with ``If-Match`` (required); an ETag that no longer
  matches leaves the record unchanged ("Another user has already changed the record.",
  code ``Request_EntityChanged``, "Error Codes").
- "salesInvoice resource type", bound action ``post``: ``POST …/salesInvoices({id})/
  Microsoft.NAV.post``, "The response has no content; the response code is 204."
- Posting moves stock and the document takes its posted number ("PS-INV103001" in the
  examples); a posted document "has been posted and can no longer be modified".
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, credit_memo, invoice, stock_of

LINE = {"lineObjectNumber": "SKU-2", "locationCode": "S001", "quantity": 5}


def _create(erp: TestClient, segment: str, body: dict) -> dict:
    response = erp.post(f"{BASE}/{segment}", json=body, headers=API)
    assert response.status_code == 201, response.text
    return response.json()


def test_draft_edit_with_etags_then_post(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("D-1", ("SKU-1", "S001", 4)))
    assert doc["status"] == "Draft"
    assert doc["number"].startswith("S-INV")
    url = f"{BASE}/salesInvoices({doc['id']})"

    stale = doc["@odata.etag"]
    header = erp.patch(url, json={"dueDate": "2026-12-31"}, headers={**API, "If-Match": stale})
    assert header.status_code == 200
    assert header.json()["dueDate"] == "2026-12-31"
    assert header.headers["ETag"] == header.json()["@odata.etag"] != stale
    refused = erp.patch(url, json={"dueDate": "2027-01-31"}, headers={**API, "If-Match": stale})
    assert refused.status_code == 412
    assert refused.json()["error"]["code"] == "Request_EntityChanged"
    assert erp.get(url, headers=API).json()["dueDate"] == "2026-12-31"
    missing = erp.patch(url, json={"dueDate": "2027-01-31"}, headers=API)
    assert missing.status_code == 428

    lines_url = f"{url}/salesInvoiceLines"
    added = erp.post(lines_url, json=LINE, headers=API)
    assert added.status_code == 201
    line = added.json()
    line_url = f"{lines_url}({line['id']})"
    changed = erp.patch(
        line_url, json={"quantity": 2}, headers={**API, "If-Match": line["@odata.etag"]}
    )
    assert changed.status_code == 200
    again = erp.patch(
        line_url, json={"quantity": 3}, headers={**API, "If-Match": line["@odata.etag"]}
    )
    assert again.status_code == 412
    first = erp.get(lines_url, headers=API).json()["value"][0]
    gone = erp.delete(
        f"{lines_url}({first['id']})", headers={**API, "If-Match": first["@odata.etag"]}
    )
    assert gone.status_code == 204
    assert stock_of(erp, "SKU-1", "S001") == 100
    assert stock_of(erp, "SKU-2", "S001") == 50

    posted = erp.post(f"{url}/Microsoft.NAV.post", headers=API)
    assert (posted.status_code, posted.content) == (204, b"")
    final = erp.get(url, headers=API).json()
    assert final["status"] == "Open"
    assert final["number"].startswith("PS-INV")
    assert final["id"] == doc["id"]
    assert final["totalAmountExcludingTax"] == 5.0  # 2 × SKU-2 at 2.50
    assert stock_of(erp, "SKU-2", "S001") == 48
    assert stock_of(erp, "SKU-1", "S001") == 100


def test_stock_moves_only_when_posted(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("S-1", ("SKU-1", "S001", 7)))
    memo = _create(erp, "salesCreditMemos", credit_memo("R-1", ("SKU-1", "S002", 2)))
    assert stock_of(erp, "SKU-1", "S001") == 100
    assert stock_of(erp, "SKU-1", "S002") == 10
    erp.post(f"{BASE}/salesInvoices({doc['id']})/Microsoft.NAV.post", headers=API)
    assert stock_of(erp, "SKU-1", "S001") == 93
    erp.post(f"{BASE}/salesCreditMemos({memo['id']})/Microsoft.NAV.post", headers=API)
    assert stock_of(erp, "SKU-1", "S002") == 12


def test_posted_numbers_come_from_the_series_in_posting_order(erp: TestClient) -> None:
    first = _create(erp, "salesInvoices", invoice("N-1", ("SKU-1", "S001", 1)))
    second = _create(erp, "salesInvoices", invoice("N-2", ("SKU-1", "S001", 1)))
    for doc in (second, first):
        erp.post(f"{BASE}/salesInvoices({doc['id']})/Microsoft.NAV.post", headers=API)
    numbers = {
        d["externalDocumentNumber"]: d["number"]
        for d in erp.get(f"{BASE}/salesInvoices", headers=API).json()["value"]
    }
    assert numbers == {"N-2": "PS-INV100001", "N-1": "PS-INV100002"}


def test_posted_document_is_immutable(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("P-1", ("SKU-1", "S001", 1)))
    url = f"{BASE}/salesInvoices({doc['id']})"
    erp.post(f"{url}/Microsoft.NAV.post", headers=API)
    posted = erp.get(url, headers=API).json()
    line = erp.get(f"{url}/salesInvoiceLines", headers=API).json()["value"][0]
    star = {**API, "If-Match": "*"}
    attempts = [
        erp.patch(url, json={"dueDate": "2027-01-01"}, headers=star),
        erp.delete(url, headers={**API, "If-Match": posted["@odata.etag"]}),
        erp.post(f"{url}/salesInvoiceLines", json=LINE, headers=API),
        erp.patch(f"{url}/salesInvoiceLines({line['id']})", json={"quantity": 9}, headers=star),
        erp.delete(f"{url}/salesInvoiceLines({line['id']})", headers=star),
    ]
    for response in attempts:
        assert response.status_code == 400, response.text
        assert (
            response.json()["error"]["message"]
            == "id: The invoice has been posted and can no longer be modified."
        )
    again = erp.post(f"{url}/Microsoft.NAV.post", headers=API)
    assert again.status_code == 400
    assert "The action can be applied to a draft invoice only." in again.json()["error"]["message"]
    assert stock_of(erp, "SKU-1", "S001") == 99
    assert erp.get(url, headers=API).json() == posted


def test_posted_credit_memo_is_immutable_with_its_own_message(erp: TestClient) -> None:
    memo = _create(erp, "salesCreditMemos", credit_memo("P-2", ("SKU-1", "S001", 1)))
    url = f"{BASE}/salesCreditMemos({memo['id']})"
    erp.post(f"{url}/Microsoft.NAV.post", headers=API)
    refused = erp.patch(url, json={"dueDate": "2027-01-01"}, headers={**API, "If-Match": "*"})
    assert "The credit memo has been posted" in refused.json()["error"]["message"]


def test_a_draft_without_lines_cannot_be_posted(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("E-1"))
    response = erp.post(f"{BASE}/salesInvoices({doc['id']})/Microsoft.NAV.post", headers=API)
    assert response.status_code == 400
    assert "There is nothing to post." in response.json()["error"]["message"]


def test_a_draft_can_be_deleted_and_leaves_no_trace(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("X-1", ("SKU-1", "S001", 1)))
    url = f"{BASE}/salesInvoices({doc['id']})"
    assert erp.delete(url, headers={**API, "If-Match": doc["@odata.etag"]}).status_code == 204
    assert erp.get(url, headers=API).status_code == 404
    assert erp.get(f"{BASE}/salesInvoices", headers=API).json()["value"] == []


def test_line_changes_give_the_header_a_new_etag(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("L-1", ("SKU-1", "S001", 1)))
    url = f"{BASE}/salesInvoices({doc['id']})"
    erp.post(f"{url}/salesInvoiceLines", json=LINE, headers=API)
    stale = erp.patch(
        url, json={"dueDate": "2027-01-01"}, headers={**API, "If-Match": doc["@odata.etag"]}
    )
    assert stale.status_code == 412


def test_single_entity_answers_carry_the_etag_header(erp: TestClient) -> None:
    doc = _create(erp, "salesInvoices", invoice("H-1", ("SKU-1", "S001", 1)))
    got = erp.get(f"{BASE}/salesInvoices({doc['id']})", headers=API)
    assert got.headers["ETag"] == got.json()["@odata.etag"]
    item = erp.get(f"{BASE}/items", params={"$top": 1}, headers=API).json()["value"][0]
    one = erp.get(f"{BASE}/items({item['id']})", headers=API)
    assert one.headers["ETag"] == item["@odata.etag"]
    listed = erp.get(f"{BASE}/items", headers=API)
    assert "ETag" not in listed.headers

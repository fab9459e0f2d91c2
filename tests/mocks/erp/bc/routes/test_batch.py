"""JSON $batch: atomic with Isolation: snapshot (a failure rolls everything back, reported
as Business Central reports it), stop-at-first-error otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, COMPANY, invoice, seeded_client, stock_of

BATCH = "/api/v2.0/$batch"


def _op(op_id: str, ext: str, sku: str, qty: float = 1) -> dict:
    return {
        "id": op_id,
        "method": "POST",
        "url": f"companies({COMPANY})/salesInvoices",
        "headers": {"Content-Type": "application/json"},
        "body": invoice(ext, (sku, "S001", qty)),
    }


def _invoices(erp: TestClient) -> list[str]:
    docs = erp.get(f"{BASE}/salesInvoices", headers=API).json()["value"]
    return [d["externalDocumentNumber"] for d in docs]


def test_snapshot_batch_commits_all(erp: TestClient) -> None:
    ops = [_op("a", "B-1", "SKU-1", 2), _op("b", "B-2", "SKU-2", 3)]
    response = erp.post(BATCH, json={"requests": ops}, headers={**API, "Isolation": "snapshot"})
    assert response.status_code == 200
    answers = response.json()["responses"]
    assert [r["status"] for r in answers] == [201, 201]
    assert _invoices(erp) == ["B-1", "B-2"]
    assert stock_of(erp, "SKU-1", "S001") == 100  # drafts
    posts = [
        {
            "id": f"p{i}",
            "method": "POST",
            "url": f"companies({COMPANY})/salesInvoices({r['body']['id']})/Microsoft.NAV.post",
        }
        for i, r in enumerate(answers)
    ]
    posted = erp.post(BATCH, json={"requests": posts}, headers={**API, "Isolation": "snapshot"})
    assert [r["status"] for r in posted.json()["responses"]] == [204, 204]
    assert stock_of(erp, "SKU-1", "S001") == 98
    assert stock_of(erp, "SKU-2", "S001") == 47


def test_snapshot_batch_rolls_back_everything_when_one_fails(erp: TestClient) -> None:
    ops = [_op("a", "B-1", "SKU-1", 2), _op("b", "B-2", "GHOST"), _op("c", "B-3", "SKU-2")]
    response = erp.post(BATCH, json={"requests": ops}, headers={**API, "Isolation": "snapshot"})
    assert response.status_code == 200
    answers = {r["id"]: r for r in response.json()["responses"]}
    assert answers["b"]["status"] == 400
    assert "GHOST" in answers["b"]["body"]["error"]["message"]
    # As Microsoft documents it: operations before the failure keep their answers (here
    # 201) although nothing of them was applied; the ones after it were not run.
    assert answers["a"]["status"] == 201
    assert answers["c"]["status"] == 424
    assert _invoices(erp) == []
    assert (
        erp.get(f"{BASE}/salesInvoices({answers['a']['body']['id']})", headers=API).status_code
        == 404
    )
    assert stock_of(erp, "SKU-1", "S001") == 100


def test_plain_batch_stops_at_first_failure_keeping_earlier_work(erp: TestClient) -> None:
    ops = [_op("a", "B-1", "SKU-1"), _op("b", "B-2", "GHOST"), _op("c", "B-3", "SKU-1")]
    body = erp.post(BATCH, json={"requests": ops}, headers=API).json()
    assert [(r["id"], r["status"]) for r in body["responses"]] == [("a", 201), ("b", 400)]
    assert _invoices(erp) == ["B-1"]


def test_continue_on_error_runs_every_operation(erp: TestClient) -> None:
    ops = [_op("a", "B-1", "SKU-1"), _op("b", "B-2", "GHOST"), _op("c", "B-3", "SKU-1")]
    headers = {**API, "Prefer": "odata.continue-on-error"}
    body = erp.post(BATCH, json={"requests": ops}, headers=headers).json()
    assert [r["status"] for r in body["responses"]] == [201, 400, 201]
    assert _invoices(erp) == ["B-1", "B-3"]


def test_batch_passes_if_match_and_reads(erp: TestClient) -> None:
    item = erp.get(f"{BASE}/items", params={"$top": 1}, headers=API).json()["value"][0]
    ops = [
        {
            "id": "p",
            "method": "PATCH",
            "url": f"/api/v2.0/companies({COMPANY})/items({item['id']})",
            "headers": {"If-Match": item["@odata.etag"]},
            "body": {"displayName": "Renamed"},
        },
        {"id": "g", "method": "GET", "url": f"companies({COMPANY})/items({item['id']})"},
    ]
    body = erp.post(BATCH, json={"requests": ops}, headers={**API, "Isolation": "snapshot"}).json()
    assert [r["status"] for r in body["responses"]] == [200, 200]
    assert body["responses"][1]["body"]["displayName"] == "Renamed"


def test_batch_limit_is_enforced(tmp_path: Path) -> None:
    with seeded_client(tmp_path, batch={"max_operations": 3}) as erp:
        ops = [_op(str(i), f"B-{i}", "SKU-1") for i in range(4)]
        response = erp.post(BATCH, json={"requests": ops}, headers=API)
        assert response.status_code == 400
        assert response.json()["error"]["target"] == "requests"
        assert _invoices(erp) == []


def test_batch_needs_unique_ids_and_no_nesting(erp: TestClient) -> None:
    twice = erp.post(BATCH, json={"requests": [_op("a", "X", "SKU-1")] * 2}, headers=API)
    assert twice.status_code == 400
    nested = {"id": "n", "method": "POST", "url": "$batch", "body": {"requests": []}}
    body = erp.post(BATCH, json={"requests": [nested]}, headers=API).json()
    assert body["responses"][0]["status"] == 400


def test_batch_requires_a_token(erp: TestClient) -> None:
    assert erp.post(BATCH, json={"requests": [_op("a", "X", "SKU-1")]}).status_code == 401


def test_an_operation_body_that_cannot_be_sent_is_400_not_500(erp: TestClient) -> None:
    too_big = {"id": "0", "method": "POST", "url": "items", "body": {"n": -(2**63) - 1}}
    body = json.dumps({"requests": [too_big]})
    response = erp.post(BATCH, content=body, headers={**API, "Content-Type": "application/json"})
    assert response.status_code == 200
    answer = response.json()["responses"][0]
    assert answer["status"] == 400
    assert answer["body"]["error"]["target"] == "body"

"""$batch. JSON: atomic with Isolation: snapshot (a failure rolls everything back, reported
as Business Central reports it), stop-at-first-error otherwise. multipart/mixed: bodies
built by hand after the examples of OData Version 4.0 Part 1, 11.7 (change sets atomic,
Content-ID references, the answer in the same format, read back with Python's MIME
parser); python-odata, the OData client the other tests use, sends no batches."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path
from typing import Any

import pytest
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


# multipart/mixed, as OData Version 4.0 Part 1 (11.7) shows it ---------------------------

BOUNDARY = "batch_36522ad7-fc75-4b56-8c71-56071383e77b"
CHANGESET = "changeset_77162fcd-b8da-41ac-a9f8-9357efbbd"
MULTIPART = {**API, "Content-Type": f"multipart/mixed; boundary={BOUNDARY}"}
FILTER = "externalDocumentNumber%20eq%20'MP-1b'"  # the request line's URL is encoded


def _http(request_line: str, *headers: str, body: dict | None = None, cid: str = "") -> str:
    """One application/http part (CRLF line ends, as the format wants)."""
    part = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if cid:
        part.append(f"Content-ID: {cid}")
    message = [request_line, "Host: host", *headers]
    payload = ""
    if body is not None:
        payload = json.dumps(body)
        message += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return "\r\n".join(part) + "\r\n\r\n" + "\r\n".join(message) + "\r\n\r\n" + payload


def _changeset(*parts: str) -> str:
    inner = "".join(f"--{CHANGESET}\r\n{p}\r\n" for p in parts) + f"--{CHANGESET}--"
    return f"Content-Type: multipart/mixed; boundary={CHANGESET}\r\n\r\n{inner}"


def _batch(*parts: str) -> str:
    return "".join(f"--{BOUNDARY}\r\n{p}\r\n" for p in parts) + f"--{BOUNDARY}--\r\n"


def _answers(response: Any) -> list[Any]:
    """The response read by Python's own MIME parser (not the mock's): per part its status,
    Content-ID and JSON body, a change set as a list of those."""
    assert response.status_code == 200, response.text
    head = f"Content-Type: {response.headers['content-type']}\r\n\r\n".encode()
    message = email.message_from_bytes(head + response.content, policy=email.policy.HTTP)
    assert message.get_content_type() == "multipart/mixed"

    def one(part: Any) -> Any:
        if part.is_multipart():
            return [one(p) for p in part.iter_parts()]
        assert part.get_content_type() == "application/http"
        assert part["Content-Transfer-Encoding"] == "binary"
        raw = part.get_payload(decode=True)
        status_line, _, rest = raw.partition(b"\r\n")
        _, _, body = rest.partition(b"\r\n\r\n")
        status = int(status_line.split()[1])
        return (status, part["Content-ID"], json.loads(body) if body.strip() else None)

    return [one(part) for part in message.iter_parts()]


def test_multipart_batch_with_a_change_set_as_the_odata_example(erp: TestClient) -> None:
    item = erp.get(f"{BASE}/items", params={"$top": 1}, headers=API).json()["value"][0]
    body = _batch(
        _http(f"GET /api/v2.0/companies({COMPANY})/items({item['id']}) HTTP/1.1"),
        _changeset(
            _http(
                f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
                body=invoice("MP-1", ("SKU-1", "S001", 2)),
                cid="1",
            ),
            _http(
                "PATCH $1 HTTP/1.1",
                "If-Match: *",
                body={"externalDocumentNumber": "MP-1b"},
                cid="2",
            ),
            _http("POST $1/Microsoft.NAV.post HTTP/1.1", cid="3"),
        ),
        _http(f"GET companies({COMPANY})/salesInvoices?$filter={FILTER} HTTP/1.1"),
    )
    answers = _answers(erp.post(BATCH, content=body, headers=MULTIPART))
    assert answers[0][0] == 200
    assert answers[0][2]["number"] == item["number"]
    created, patched, posted = answers[1]
    assert (created[:2], patched[:2], posted[:2]) == ((201, "1"), (200, "2"), (204, "3"))
    found = answers[2][2]["value"]
    assert [(d["externalDocumentNumber"], d["status"]) for d in found] == [("MP-1b", "Open")]
    assert found[0]["id"] == created[2]["id"]
    assert stock_of(erp, "SKU-1", "S001") == 98  # posted once


def test_a_failed_change_set_is_rolled_back_and_answered_by_the_failure(erp: TestClient) -> None:
    body = _batch(
        _changeset(
            _http(
                f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
                body=invoice("MP-2", ("SKU-1", "S001", 1)),
                cid="a",
            ),
            _http(
                f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
                body=invoice("MP-3", ("GHOST", "S001", 1)),
                cid="b",
            ),
        ),
        _http(f"GET companies({COMPANY})/items HTTP/1.1"),
    )
    answers = _answers(erp.post(BATCH, content=body, headers=MULTIPART))
    assert len(answers) == 1  # stopped after the failure
    status, cid, error = answers[0]
    assert (status, cid) == (400, "b")
    assert "GHOST" in error["error"]["message"]
    assert _invoices(erp) == []  # MP-2 rolled back with it
    again = erp.post(
        BATCH, content=body, headers={**MULTIPART, "Prefer": "odata.continue-on-error"}
    )
    answers = _answers(again)
    assert [a[0] if isinstance(a, tuple) else "set" for a in answers] == [400, 200]


def test_requests_outside_change_sets_commit_one_by_one(erp: TestClient) -> None:
    body = _batch(
        _http(
            f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
            body=invoice("MP-4", ("SKU-1", "S001", 1)),
        ),
        _http(
            f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
            body=invoice("MP-5", ("GHOST", "S001", 1)),
        ),
        _http(
            f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
            body=invoice("MP-6", ("SKU-1", "S001", 1)),
        ),
    )
    answers = _answers(erp.post(BATCH, content=body, headers=MULTIPART))
    assert [a[0] for a in answers] == [201, 400]
    assert _invoices(erp) == ["MP-4"]


def test_metadata_inside_a_multipart_batch_is_passed_through(erp: TestClient) -> None:
    response = erp.post(BATCH, content=_batch(_http("GET $metadata HTTP/1.1")), headers=MULTIPART)
    assert response.status_code == 200
    assert b"HTTP/1.1 200 OK" in response.content
    assert b"<edmx:Edmx" in response.content


def test_a_reference_to_no_earlier_request_fails_the_change_set(erp: TestClient) -> None:
    body = _batch(
        _changeset(
            _http(
                f"POST companies({COMPANY})/salesInvoices HTTP/1.1",
                body=invoice("MP-7", ("SKU-1", "S001", 1)),
                cid="1",
            ),
            _http("POST $9/Microsoft.NAV.post HTTP/1.1", cid="2"),
        )
    )
    [(status, cid, error)] = _answers(erp.post(BATCH, content=body, headers=MULTIPART))
    assert (status, cid) == (400, "2")
    assert "'$9'" in error["error"]["message"]
    assert _invoices(erp) == []


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (
            _batch(_http("GET items HTTP/1.1")),
            {**API, "Content-Type": "multipart/mixed"},
            "with a boundary",
        ),
        (f"--{BOUNDARY}\r\n" + _http("GET items HTTP/1.1"), MULTIPART, "no closing delimiter"),
        (_batch(_changeset(_http("GET items HTTP/1.1", cid="1"))), MULTIPART, "not GET"),
        (
            _batch(_changeset(_http("POST items HTTP/1.1", body={"displayName": "x"}))),
            MULTIPART,
            "needs a Content-ID",
        ),
        (_batch(_http("FETCH items HTTP/1.1")), MULTIPART, "METHOD URL HTTP/1.1"),
        (_batch("Content-Type: text/plain\r\n\r\nhello"), MULTIPART, "application/http"),
        (
            _batch(_http("GET items HTTP/1.1")),
            {**MULTIPART, "Isolation": "snapshot"},
            "put the requests that must commit together in one change set",
        ),
    ],
)
def test_what_is_not_a_multipart_batch_is_a_400_saying_why(
    erp: TestClient, body: str, headers: dict[str, str], message: str
) -> None:
    response = erp.post(BATCH, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]["message"]


def test_the_operation_limit_counts_requests_inside_change_sets(tmp_path: Path) -> None:
    with seeded_client(tmp_path, batch={"max_operations": 2}) as erp:
        parts = [
            _http(
                f"POST companies({COMPANY})/items HTTP/1.1",
                body={"displayName": f"x{i}"},
                cid=str(i),
            )
            for i in range(3)
        ]
        response = erp.post(BATCH, content=_batch(_changeset(*parts)), headers=MULTIPART)
        assert response.status_code == 400
        assert "at most 2 operations, got 3" in response.json()["error"]["message"]


def test_json_batches_refuse_atomicity_groups_rather_than_ignore_them(erp: TestClient) -> None:
    op = {**_op("a", "B-1", "SKU-1"), "atomicityGroup": "g1"}
    response = erp.post(BATCH, json={"requests": [op]}, headers=API)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "requests[0].atomicityGroup"
    assert _invoices(erp) == []


def test_a_json_batch_passes_a_non_json_answer_as_text(erp: TestClient) -> None:
    op = {"id": "m", "method": "GET", "url": "$metadata"}
    answer = erp.post(BATCH, json={"requests": [op]}, headers=API).json()["responses"][0]
    assert answer["status"] == 200
    assert answer["body"].startswith("<?xml")

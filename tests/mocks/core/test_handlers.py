"""The never-500 policy: bad JSON, bad fields and unknown routes are 4xx in the dialect's
format, naming the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.core.support import API


def test_malformed_json_is_400_naming_the_body(client: TestClient) -> None:
    response = client.post(
        "/notes", content=b'{"text": ', headers={**API, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()["problem"]
    assert body["field"] == "body"
    assert "not valid JSON" in body["message"]


def test_invalid_field_is_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/notes", json={"text": "x", "copies": 9}, headers=API)
    assert response.status_code == 400
    problem = response.json()["problem"]
    assert problem["field"] == "copies"
    assert "got 9" in problem["message"]


def test_unknown_route_is_404_in_dialect_format(client: TestClient) -> None:
    response = client.get("/nope", headers=API)
    assert response.status_code == 404
    assert response.json()["problem"]["status"] == 404

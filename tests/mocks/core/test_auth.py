"""Bearer tokens: API tokens and the admin token are kept apart; 401 names the header."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.core.support import ADMIN, API


def test_missing_token_is_401_naming_the_header(client: TestClient) -> None:
    response = client.post("/notes", json={"text": "x"})
    assert response.status_code == 401
    assert response.json()["problem"]["field"] == "Authorization"
    assert response.headers["www-authenticate"] == "Bearer"


def test_admin_token_is_not_an_api_token(client: TestClient) -> None:
    assert client.post("/notes", json={"text": "x"}, headers=ADMIN).status_code == 401


def test_api_token_does_not_grant_admin(client: TestClient) -> None:
    assert client.get("/admin/health", headers=API).status_code == 403
    assert client.get("/admin/health").status_code == 401
    assert client.get("/admin/health", headers=ADMIN).json()["status"] == "ok"

"""Bearer tokens: API tokens and the admin token are kept apart; 401 names the header;
malformed headers (non-ASCII bytes, wrong scheme, empty, oversized) are 401s too, never 500s;
tokens are compared in constant time."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mocks.core import ApiError, TokenRegistry, auth
from mocks.core.auth import MAX_TOKEN_BYTES, Problem, read_bearer
from mocks.core.process import MockProcess
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


# Hostile and malformed headers: each is a 401 naming the header, never a 500.

MALFORMED = {
    "non-ASCII token": b"Bearer t\xc3\xa9st",
    "latin-1 byte": b"Bearer t\xe9st",
    "control character": b"Bearer tok\x01a",
    "wrong scheme": b"Basic dG9rLWE6",
    "no scheme": b"tok-a",
    "space inside the token": b"Bearer tok -a",
    "oversized token": b"Bearer " + b"a" * (MAX_TOKEN_BYTES + 1),
    "oversized header": b"Bearer tok-a" + b" " * 100_000,
}
MISSING = {
    "empty": b"",
    "blank": b"   ",
    "scheme alone": b"Bearer",
    "scheme and spaces": b"Bearer   ",
}


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_headers_are_read_as_malformed(header: bytes) -> None:
    assert read_bearer(header.decode("latin-1")) == (None, Problem.MALFORMED)


@pytest.mark.parametrize("header", MISSING.values(), ids=MISSING.keys())
def test_empty_headers_are_read_as_missing(header: bytes) -> None:
    assert read_bearer(header.decode("latin-1")) == (None, Problem.MISSING)


def test_a_well_formed_header_yields_the_token_bytes() -> None:
    assert read_bearer(" bearer  tok-a= ") == (b"tok-a=", None)
    assert read_bearer(b"Bearer " + b"a" * MAX_TOKEN_BYTES) == (b"a" * MAX_TOKEN_BYTES, None)


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/notes"), ("GET", "/notes/1"), ("GET", "/admin/health")]
)
def test_malformed_headers_get_401_in_the_dialect_shape(
    client: TestClient, header: bytes, method: str, path: str
) -> None:
    response = client.request(method, path, headers={"Authorization": header}, json={"text": "x"})
    assert response.status_code == 401
    problem = response.json()["problem"]
    assert problem["field"] == "Authorization"
    assert problem["message"].startswith("The Authorization header is malformed; send ")
    assert response.headers["www-authenticate"] == "Bearer"


def test_malformed_messages_never_echo_the_header(client: TestClient) -> None:
    response = client.get("/notes/1", headers={"Authorization": b"Basic c2VjcmV0LXBhc3N3b3Jk"})
    assert "c2VjcmV0" not in response.text
    assert response.status_code == 401


def test_malformed_requests_are_journaled_without_the_header(client: TestClient) -> None:
    client.get("/notes/1", headers={"Authorization": b"Bearer t\xc3\xa9st-secret"})
    rows = client.get("/admin/journal", headers=ADMIN).json()["rows"]
    assert [(row["status"], row["credential"]) for row in rows] == [(401, "malformed")]


def test_tokens_are_compared_as_digests_against_every_known_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[tuple[bytes, bytes]] = []

    def spy(a: bytes, b: bytes) -> bool:
        assert isinstance(a, bytes)
        assert isinstance(b, bytes)
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    registry = TokenRegistry({"tok-a": "alice", "tok-b": "bob", "tok-c": "carol"}, admin_token="a")
    for header, expected in [
        ("Bearer tok-a", "alice"),
        ("Bearer tok-c", "carol"),
        ("Bearer tok-x", None),
    ]:
        compared.clear()
        assert registry.principal(header) == expected
        assert len(compared) == 3, "one comparison per known token, whichever matches"
        assert {len(a) for pair in compared for a in pair} == {32}, "SHA-256 digests, not tokens"


def test_the_admin_token_is_compared_as_a_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or a == b)
    registry = TokenRegistry({"tok-a": "alice"}, admin_token="adm")
    registry.require_admin("Bearer adm")
    with pytest.raises(ApiError) as refused:
        registry.require_admin("Bearer admx")
    assert refused.value.status == 403
    assert [(len(a), len(b)) for a, b in compared] == [(32, 32), (32, 32)]


def test_a_token_with_latin_1_bytes_is_compared_as_sent() -> None:
    # a header carries bytes; the ASGI server hands them over as latin-1 text
    registry = TokenRegistry({"tok-a": "alice"}, admin_token="adm")
    assert registry.principal(b"Bearer tok-a".decode("latin-1")) == "alice"
    assert registry.principal("Bearer tok-\u00e1") is None
    assert registry.principal("Bearer tok-\u0101") is None  # beyond latin-1: in-process only


# Every route of both mocks, over real HTTP: the dialects render the 401 in their own shape.

COMPANY = "5d115c9c-44e3-ea11-bb43-000d3a2feca1"
WIRE_HEADERS = {
    "non-ASCII token": b"Bearer t\xc3\xa9st",
    "wrong scheme": b"Basic dG9rOnB3",
    "empty": b"",
    "oversized": b"Bearer " + b"x" * 20_000,
}
DIALECTS = {
    "pos": ("mocks.pos.square.app:create_app", "mocks.pos.square.app"),
    "erp": ("mocks.erp.bc.app:create_app", "mocks.erp.bc.app"),
}


def _is_dialect_401(side: str, body: dict[str, Any]) -> bool:
    if side == "pos":
        (error,) = body["errors"]
        return bool(error["category"] == "AUTHENTICATION_ERROR" and error["code"] == "UNAUTHORIZED")
    return bool(body["error"]["code"] == "Authentication_InvalidCredentials")


def _operations(module: str, tmp: Path) -> list[tuple[str, str]]:
    app = importlib.import_module(module).create_app({"db_url": f"sqlite:///{tmp / 'ops.db'}"})
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return [
        (method.upper(), re.sub(r"\{company_id\}", COMPANY, path).replace("{", "").replace("}", ""))
        for path, item in paths.items()
        for method in item
    ]


@pytest.fixture(scope="module", params=sorted(DIALECTS))
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    side = request.param
    factory, module = DIALECTS[side]
    tmp = tmp_path_factory.mktemp(side)
    settings = {"db_url": f"sqlite:///{tmp / 'mock.db'}", "api_tokens": {"tok": "qa"}}
    with MockProcess(factory, settings=settings | {"admin_token": "adm"}) as server:
        yield side, server.base_url, _operations(module, tmp)


@pytest.mark.parametrize("header", WIRE_HEADERS.values(), ids=WIRE_HEADERS.keys())
def test_every_route_of_both_mocks_answers_a_bad_header_with_a_401(
    served: tuple[str, str, list[tuple[str, str]]], header: bytes
) -> None:
    side, base_url, operations = served
    assert len(operations) > 40, "the OpenAPI document lists the routes"
    wrong = []
    with httpx.Client(base_url=base_url, timeout=10) as http:
        for method, path in operations:
            body = b"{}" if method in ("POST", "PUT", "PATCH") else None
            answer = http.request(
                method,
                path,
                content=body,
                headers={"Authorization": header, "Content-Type": "application/json"},
            )
            if answer.status_code != 401 or not _is_dialect_401(side, answer.json()):
                wrong.append(f"{method} {path}: {answer.status_code} {answer.text[:120]}")
    assert wrong == []

"""Helpers of the NetSuite dialect tests: settings, the mock under uvicorn on loopback, and
an OAuth 1.0a (HMAC-SHA256) signing httpx client built on oauthlib's client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from mocks.erp.netsuite import create_app
from tests.mocks.erp.support import CATALOG
from tests.mocks.support import on_loopback

ACCOUNT = "1234567_SB1"
ADMIN = {"Authorization": "Bearer admin-1"}
CREDENTIAL = {
    "consumer_key": "ck-" + "a" * 61,
    "consumer_secret": "cs-" + "b" * 61,
    "token_id": "ti-" + "c" * 61,
    "token_secret": "ts-" + "d" * 61,
}
RECORD = "/services/rest/record/v1"
SUITEQL = "/services/rest/query/v1/suiteql"


def settings(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """Test settings: own SQLite file, one TBA credential, capacity off unless asked."""
    return {
        "db_url": f"sqlite:///{tmp_path / 'erp.sqlite'}",
        "api_tokens": {"bearer-1": "harness"},
        "admin_token": "admin-1",
        "account_id": ACCOUNT,
        "tba": [CREDENTIAL],
        "capacity": False,
        "async_delay": 0.05,
        **overrides,
    }


class OAuth1(httpx.Auth):
    """Signs each request with OAuth 1.0a HMAC-SHA256 (oauthlib's client)."""

    def __init__(self, *, realm: str = ACCOUNT, **credential: str) -> None:
        cred = {**CREDENTIAL, **credential}
        self.client = Client(
            cred["consumer_key"],
            client_secret=cred["consumer_secret"],
            resource_owner_key=cred["token_id"],
            resource_owner_secret=cred["token_secret"],
            signature_method=SIGNATURE_HMAC_SHA256,
            realm=realm,
        )

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        _uri, headers, _body = self.client.sign(str(request.url), request.method)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


def signed(base: str, **credential: str) -> httpx.Client:
    """An httpx client on ``base`` signing with the test credential."""
    return httpx.Client(base_url=base, auth=OAuth1(**credential), timeout=30)


@contextmanager
def serve_netsuite(tmp_path: Path, **overrides: Any) -> Iterator[str]:
    """The NetSuite mock under uvicorn on 127.0.0.1 (a free port), seeded with ``CATALOG``;
    yields its base URL."""
    with on_loopback(create_app(settings(tmp_path, **overrides))) as base:
        seeded = httpx.post(f"{base}/admin/erp/catalog", json=CATALOG, headers=ADMIN)
        assert seeded.status_code == 200, seeded.text
        yield base


def cash_sale(ext: str, *lines: tuple[str, str, float], **extra: Any) -> dict[str, Any]:
    """A cash sale body: lines of (sku, store, quantity) referenced by external id."""
    return {
        "externalId": ext,
        "entity": {"externalId": "RETAIL"},
        "item": {
            "items": [
                {"item": {"externalId": sku}, "location": {"externalId": store}, "quantity": qty}
                for sku, store, qty in lines
            ]
        },
        **extra,
    }


def on_hand(client: httpx.Client, sku: str, store: str) -> float:
    """On-hand quantity of ``sku`` at ``store`` read through SuiteQL."""
    q = (
        "SELECT s.quantityonhand FROM inventoryitemlocations s JOIN item i ON i.id = s.item "
        f"JOIN location l ON l.id = s.location WHERE i.itemid = '{sku}' AND l.externalid = "
        f"'{store}'"
    )
    response = client.post(SUITEQL, json={"q": q}, headers={"Prefer": "transient"})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return float(items[0]["quantityonhand"]) if items else 0.0

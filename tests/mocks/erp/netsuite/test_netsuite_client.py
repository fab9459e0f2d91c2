"""The ``netsuite`` client from PyPI (jacobsvante's, REST + SuiteQL, OAuth 1.0a HMAC-SHA256
through authlib) against the mock on a real loopback server, unchanged but for its
documented host hook: ``NetSuiteRestApi._make_url`` is where the client builds
``https://<account>.suitetalk.api.netsuite.com/services/rest<subpath>``; the subclass points
it at the mock. It signs every request (realm = account id, with an ``oauth_body_hash`` for
JSON bodies) and the mock verifies the signatures."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mocks.erp.netsuite.support import ACCOUNT, CREDENTIAL, serve_netsuite

with warnings.catch_warnings():  # authlib warns about its own httpx integration on import
    warnings.simplefilter("ignore")
    from netsuite import Config, NetSuiteRestApi, TokenAuth
    from netsuite.exceptions import NetsuiteAPIRequestError


class MockNetSuite(NetSuiteRestApi):  # type: ignore[misc]
    """The client with its host pointed at the mock."""

    def __init__(self, base: str, config: Config) -> None:
        super().__init__(config)
        self._base = base

    def _make_url(self, subpath: str) -> str:
        return f"{self._base}/services/rest{subpath}"


@pytest.fixture
def api(tmp_path: Path) -> Iterator[MockNetSuite]:
    config = Config(account=ACCOUNT, auth=TokenAuth(**CREDENTIAL))
    with serve_netsuite(tmp_path) as base:
        yield MockNetSuite(base, config)


def _run(coro: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return asyncio.run(coro)


def test_record_crud_signed_with_oauth1(api: MockNetSuite) -> None:
    async def crud() -> tuple[Any, ...]:
        created = await api.request(
            "POST", "/record/v1/customer", json={"externalId": "C-77", "companyName": "Ada"}
        )
        location = created.headers["Location"]
        record_id = location.rsplit("/", 1)[1]
        fetched = await api.get(f"/record/v1/customer/{record_id}")
        await api.patch(f"/record/v1/customer/{record_id}", json={"email": "ada@example.test"})
        patched = await api.get("/record/v1/customer/eid:C-77")
        sale = await api.request(
            "POST",
            "/record/v1/cashSale",
            json={
                "externalId": "POS-100",
                "entity": {"id": record_id},
                "item": {
                    "items": [
                        {
                            "item": {"externalId": "SKU-2"},
                            "location": {"externalId": "S001"},
                            "quantity": 2,
                            "rate": 2.5,
                        }
                    ]
                },
            },
        )
        await api.delete("/record/v1/location/eid:S002")
        with pytest.raises(NetsuiteAPIRequestError) as gone:
            await api.get("/record/v1/location/eid:S002")
        return created.status_code, fetched, patched, sale.status_code, gone.value.status_code

    created, fetched, patched, sale, gone = _run(crud())
    assert created == 204
    assert sale == 204
    assert gone == 404
    assert (fetched["externalId"], fetched["companyName"]) == ("C-77", "Ada")
    assert patched["email"] == "ada@example.test"


def test_suiteql_query(api: MockNetSuite) -> None:
    async def query() -> Any:
        for n in range(3):
            await api.post(
                "/record/v1/cashSale",
                json={
                    "externalId": f"Q-{n}",
                    "entity": {"externalId": "RETAIL"},
                    "location": {"externalId": "S001"},
                    "item": {"items": [{"item": {"externalId": "SKU-1"}, "quantity": 1}]},
                },
            )
        return await api.suiteql(
            "SELECT externalid, tranid FROM transaction WHERE type = 'CashSale' ORDER BY id",
            limit=2,
            offset=0,
        )

    page = _run(query())
    assert (page["count"], page["hasMore"], page["totalResults"]) == (2, True, 3)
    assert [row["externalid"] for row in page["items"]] == ["Q-0", "Q-1"]


def test_a_wrong_token_secret_is_refused(tmp_path: Path) -> None:
    wrong = Config(account=ACCOUNT, auth=TokenAuth(**{**CREDENTIAL, "token_secret": "nope"}))
    with serve_netsuite(tmp_path) as base:
        client = MockNetSuite(base, wrong)
        with pytest.raises(NetsuiteAPIRequestError) as refused:
            _run(client.get("/record/v1/customer"))
    assert refused.value.status_code == 401
    assert "INVALID_LOGIN" in refused.value.response_text

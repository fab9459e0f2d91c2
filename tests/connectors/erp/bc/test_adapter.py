"""The Business Central adapter stays exactly-once on an ERP that accepts duplicate external
document numbers (standard Business Central, the mock's default) and creates drafts: through
a crash between create and post, and through requests whose outcome is unknown. Each test
runs against the mock ERP on a loopback port and checks what the ERP holds: one posted
document, no draft left behind, stock moved once."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.core.http import Transient
from connectors.core.metrics import Metrics
from connectors.core.state import Posting
from connectors.erp.bc import BcAdapter, BcClient
from tests.connectors.erp.bc.support import Crash, Wire

with warnings.catch_warnings():  # as tests/mocks/conftest.py does for the mocks' own tests
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    from tests.mocks.erp.support import API, COMPANY, invoice, serve_erp

_OPEN: list[BcAdapter] = []


@pytest.fixture(autouse=True)
def _close_adapters() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def _adapter(base: str, **mishap: str) -> BcAdapter:
    adapter = BcAdapter(BcClient(Wire(base, **mishap), COMPANY), Metrics())
    _OPEN.append(adapter)
    return adapter


def _posting(ext: str, *, uncertain: bool = False, extra: dict | None = None) -> Posting:
    body = invoice(ext, ("SKU-1", "S001", 3))
    return Posting(f"invoice:{ext}", "invoice", ext, body, 0, uncertain, extra or {})


def _documents(base: str, ext: str) -> list[dict[str, Any]]:
    url = f"{base}/api/v2.0/companies({COMPANY})/salesInvoices"
    params = {"$filter": f"externalDocumentNumber eq '{ext}'"}
    return list(httpx.get(url, params=params, headers=API).json()["value"])


def _stock(base: str) -> float:
    url = f"{base}/api/tillbench/inventory/v1.0/companies({COMPANY})/locationInventories"
    rows = httpx.get(url, params={"locationCode": "S001", "itemNumber": "SKU-1"}, headers=API)
    return float(rows.json()["value"][0]["inventory"])


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[str]:
    with serve_erp(tmp_path) as base:
        yield base


def _exactly_once(base: str, ext: str) -> None:
    docs = _documents(base, ext)
    assert [d["status"] for d in docs] == ["Open"], docs
    assert docs[0]["number"].startswith("PS-INV")
    assert _stock(base) == 100 - 3


def test_a_sale_is_one_draft_then_one_post(erp: str) -> None:
    adapter = _adapter(erp)
    answer = adapter.create(_posting("T-1"))
    assert answer.ok
    _exactly_once(erp, "T-1")
    assert adapter.client.api.metrics.snapshot()["erp_requests"] == 2  # create, post


def test_crash_between_create_and_post_ends_with_one_posted_document(erp: str) -> None:
    with pytest.raises(Crash):
        _adapter(erp, crash_before="Microsoft.NAV.post").create(_posting("T-2"))
    assert [d["status"] for d in _documents(erp, "T-2")] == ["Draft"]
    assert _stock(erp) == 100
    restarted = _adapter(erp)  # after a restart the in-flight row is uncertain: look it up
    found = restarted.find(_posting("T-2", uncertain=True))
    assert found is not None
    _exactly_once(erp, "T-2")
    assert restarted.find(_posting("T-2", uncertain=True)) == found


def test_lost_answer_to_the_create_is_found_and_posted_not_created_again(erp: str) -> None:
    adapter = _adapter(erp, lose_after="salesInvoices {")
    with pytest.raises(Transient) as lost:
        adapter.create(_posting("T-3"))
    assert lost.value.applied_unknown
    assert adapter.find(_posting("T-3", uncertain=True)) is not None
    _exactly_once(erp, "T-3")


def test_lost_answer_to_the_post_is_confirmed_by_reading_the_document(erp: str) -> None:
    answer = _adapter(erp, lose_after="Microsoft.NAV.post").create(_posting("T-4"))
    assert answer.ok
    _exactly_once(erp, "T-4")


def test_extra_drafts_of_a_reference_are_removed_when_it_is_looked_up(erp: str) -> None:
    url = f"{erp}/api/v2.0/companies({COMPANY})/salesInvoices"
    for _ in range(2):
        created = httpx.post(url, json=invoice("T-5", ("SKU-1", "S001", 3)), headers=API)
        assert created.status_code == 201
    assert _adapter(erp).find(_posting("T-5", uncertain=True)) is not None
    _exactly_once(erp, "T-5")


def test_batch_crash_between_drafts_and_posts_ends_with_one_posted_document(erp: str) -> None:
    adapter = _adapter(erp)
    journal = adapter.client.journal_id()
    reversal = {"itemNumber": "SKU-1", "locationCode": "S001", "quantity": 3.0}
    posting = _posting("T-6", extra={"reversals": [{**reversal, "externalDocumentNumber": "X6"}]})
    crashing = _adapter(erp, crash_before="Microsoft.NAV.post")
    assert crashing.client.journal_id() == journal
    with pytest.raises(Crash):
        crashing.create_many([posting])
    assert [d["status"] for d in _documents(erp, "T-6")] == ["Draft"]
    lookups = _adapter(erp).find_many([_posting("T-6", uncertain=True, extra=posting.extra)])
    assert set(lookups.found) == {posting.key}
    docs = _documents(erp, "T-6")
    assert [d["status"] for d in docs] == ["Open"]
    assert _stock(erp) == 100 - 3 + 3  # the post and its reversal, in one transaction


def test_a_refused_post_in_a_batch_rolls_back_the_others_and_leaves_no_draft(erp: str) -> None:
    adapter = _adapter(erp)
    good = _posting("T-7")
    empty = Posting("invoice:T-8", "invoice", "T-8", invoice("T-8"), 0, False, {})
    answers = adapter.create_many([good, empty])
    assert answers[empty.key].status == 400
    assert "nothing to post" in answers[empty.key].detail
    assert answers[good.key].status == 409  # still a draft: the next round looks it up
    assert _documents(erp, "T-8") == []
    assert adapter.find_many([good]).found.keys() == {good.key}
    _exactly_once(erp, "T-7")

"""The NetSuite adapter against the NetSuite mock on a loopback port: an upsert by external
id is exactly-once through a lost answer and a retry, look-ups go through SuiteQL, the
account's concurrency limit is a 429 the client backs off from, stock adjustments post
once."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.core.documents import StockChange
from connectors.core.http import HttpApi, Reply, Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import Posting
from connectors.erp import RETRY_AGAIN
from connectors.erp.netsuite import NetSuiteAdapter
from tests.mocks.erp.netsuite.support import RECORD, cash_sale, on_hand, serve_netsuite, signed

POLICY = RetryPolicy(attempts=3, base=0.01, cap=0.05)


class Wire(HttpApi):
    """The real HTTP client; ``lose_after`` lets the ERP commit a matching request and loses
    its answer (a timeout)."""

    def __init__(self, base: str, *, lose_after: str = "") -> None:
        super().__init__(
            f"{base}/services/rest",
            "bearer-1",
            name="erp",
            policy=POLICY,
            timeout=5,
            rng=random.Random(7),
            metrics=Metrics(),
            stop=threading.Event(),
        )
        self.lose_after = lose_after

    def once(self, method: str, path: str, **kwargs: Any) -> Reply:
        reply = super().once(method, path, **kwargs)
        if self.lose_after and self.lose_after in f"{method} {path}":
            self.lose_after = ""
            raise Transient(0, True, None, "ReadTimeout: the answer was lost")
        return reply


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    with serve_netsuite(tmp_path) as url:
        yield url


_OPEN: list[NetSuiteAdapter] = []


@pytest.fixture(autouse=True)
def _close_adapters() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def _adapter(base: str, **mishap: str) -> NetSuiteAdapter:
    adapter = NetSuiteAdapter(Wire(base, **mishap), Metrics())
    _OPEN.append(adapter)
    return adapter


def _posting(ext: str, qty: float = 3, kind: str = "invoice") -> Posting:
    body = cash_sale(ext, ("SKU-1", "S001", qty))
    return Posting(f"{kind}:{ext}", kind, ext, body, 0, False, {})


def test_upsert_is_exactly_once_through_a_lost_answer(base: str) -> None:
    adapter = _adapter(base, lose_after="PUT /record/v1/cashSale/eid:T-1")
    posting = _posting("T-1")
    assert adapter.find(posting) is None
    with pytest.raises(Transient) as lost:
        adapter.create(posting)
    assert lost.value.applied_unknown
    answer = adapter.create(posting)
    assert answer.ok
    assert adapter.find(posting) == answer.erp_id
    with signed(base) as ns:
        assert on_hand(ns, "SKU-1", "S001") == 97.0


def test_find_many_reads_suiteql_by_external_id_and_type(base: str) -> None:
    adapter = _adapter(base)
    done = [_posting(f"M-{n}") for n in range(3)]
    answers = adapter.create_many(done)
    assert all(a.ok for a in answers.values())
    other_kind = _posting("M-0", kind="credit_memo")
    lookups = adapter.find_many([*done, _posting("M-9"), other_kind])
    assert set(lookups.found) == {p.key for p in done}
    assert lookups.absent == {"invoice:M-9", "credit_memo:M-0"}


def test_refusals_and_stock_adjustments(base: str) -> None:
    adapter = _adapter(base)
    bad = _posting("B-1", qty=0)
    answer = adapter.create(bad)
    assert answer.status == 400
    assert "quantity" in answer.detail

    changes = [
        StockChange("W-1", "S001", "SKU-2", Decimal(-3), "waste"),
        StockChange("W-2", "S001", "SKU-1", Decimal(2), "count"),
    ]
    payload = adapter.stock_payload(changes)
    journal = Posting("journal:W-1", "journal", "W-1", payload, 0, False, {})
    assert adapter.create(journal).ok
    assert adapter.create(journal).ok
    assert adapter.find_many([journal]).found == {"journal:W-1": adapter.find(journal)}
    with signed(base) as ns:
        assert (on_hand(ns, "SKU-2", "S001"), on_hand(ns, "SKU-1", "S001")) == (47.0, 102.0)


def test_the_concurrency_limit_is_a_429_to_back_off_from(tmp_path: Path) -> None:
    with serve_netsuite(
        tmp_path, capacity=True, concurrency=1, latency="300ms", load_factor=0
    ) as url:
        adapter = _adapter(url)
        postings = [_posting(f"C-{n}", qty=1) for n in range(2)]

        def send(posting: Posting) -> Any:
            try:
                return adapter.create(posting)
            except Transient as failure:
                return failure

        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(send, postings))
        refused = [o for o in outcomes if isinstance(o, Transient)]
        assert len(refused) == 1
        assert refused[0].status == 429
        assert not refused[0].applied_unknown
        again = adapter.create_many([postings[outcomes.index(refused[0])]])
        assert all(a.ok for a in again.values())
        assert RETRY_AGAIN not in {a.status for a in again.values()}
        headers = {"Authorization": "Bearer bearer-1", "Prefer": "transient"}
        q = {"q": "SELECT COUNT(*) AS n FROM transaction"}
        rows = httpx.post(f"{url}/services/rest/query/v1/suiteql", json=q, headers=headers)
        assert rows.json()["items"][0]["n"] == "2"


def test_the_catalogue_reads_changes_and_other_parties_stock_moves(base: str) -> None:
    adapter = _adapter(base)
    catalogue = adapter.catalogue
    everything = catalogue.items_since(None)
    assert [i.sku for i in everything] == ["SKU-1", "SKU-2", "SKU-3"]
    cursor = max(i.modified for i in everything)
    assert catalogue.items_since(cursor) == []
    with signed(base) as ns:
        assert ns.patch(f"{RECORD}/inventoryItem/eid:SKU-2", json={"basePrice": 2.75}).is_success
        delivery = {
            "adjLocation": {"externalId": "S002"},
            "memo": "Store delivery",
            "inventory": {"items": [{"item": {"externalId": "SKU-3"}, "adjustQtyBy": 12}]},
        }
        assert ns.put(f"{RECORD}/inventoryAdjustment/eid:R-1", json=delivery).is_success
    [changed] = catalogue.items_since(cursor)
    assert (changed.sku, changed.unit_price) == ("SKU-2", Decimal("2.75"))
    own = [StockChange("W-9", "S001", "SKU-1", Decimal(-1), "waste")]
    posting = Posting("journal:W-9", "journal", "W-9", adapter.stock_payload(own), 0, False, {})
    assert adapter.create(posting).ok
    [move] = catalogue.stock_moves()
    assert (move.sku, move.store_id, move.quantity) == ("SKU-3", "S002", Decimal(12))
    assert [c.number for c in catalogue.customers_since(None)] == ["RETAIL"]

"""The Tryton adapter's failure handling, against a scripted `TrytonPos` (the real one is
exercised in test_poster.py and test_adapter_live.py): lock errors become retries, an
unanswered batch is looked up instead of re-sent, a duplicate reference is confirmed by
lookup, and one bad sale is dead-lettered without holding back the rest of its batch.
And its factory: the login comes from ``TILLBENCH_ERP_TOKEN`` (``USER:PASSWORD``)."""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from connectors.batch.batcher import Batcher
from connectors.core.errors import ConfigError
from connectors.core.http import Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import NewPosting, Posting, StateStore
from connectors.erp import RETRY_AGAIN
from connectors.erp.tryton.adapter import TrytonAdapter, login
from connectors.erp.tryton.client import TrytonError, TrytonRpc
from connectors.erp.tryton.poster import PosSale, Posted, StockMove
from connectors.realtime.poster import Poster
from tests.connectors.clock_support import StepClock

POLICY = RetryPolicy(attempts=5, base=0.001, cap=0.01)


class ScriptedPos:
    """Holds sales and moves by reference; ``failures`` are raised by the next posts (an
    entry ``("after", error)`` commits first, then raises: the lost answer)."""

    def __init__(
        self,
        failures: Sequence[Any] = (),
        *,
        move_failures: Sequence[Any] = (),
        refuse_sku: str | None = None,
        unfinished: dict[str, int] | None = None,
    ) -> None:
        self.states: dict[str, str] = {}
        self.unfinished = dict(unfinished or {})
        self.sales: dict[str, PosSale] = {}
        self.moves: dict[str, StockMove] = {}
        self.creates = 0
        self.failures = list(failures)
        self.move_failures = list(move_failures)
        self.refuse_sku = refuse_sku

    def skus(self) -> list[str]:
        return ["SKU-A", "SKU-B"]

    def store_ids(self) -> list[str]:
        return ["S0001"]

    def find(self, references: Sequence[str]) -> dict[str, Posted]:
        return {
            r: Posted(r, i + 1, f"N{i}", self.states.get(r, "posted"))
            for i, r in enumerate(self.sales)
            if r in references
        }

    def find_moves(self, references: Sequence[str]) -> dict[str, int]:
        return {r: i + 1 for i, r in enumerate(self.moves) if r in references}

    @staticmethod
    def _fail(commit: Any, failures: list[Any]) -> None:
        if not failures:
            commit()
            return
        failure = failures.pop(0)
        if isinstance(failure, tuple):
            commit()
            raise failure[1]
        raise failure

    def post_sales(self, sales: Sequence[PosSale]) -> dict[str, Posted]:
        if self.refuse_sku and any(x.sku == self.refuse_sku for s in sales for x in s.lines):
            raise TrytonError(400, f"sale.point.sale.create: tender refused for {self.refuse_sku}")

        def commit() -> None:
            self.creates += 1
            for sale in sales:
                self.sales.setdefault(sale.reference, sale)
                left = self.unfinished.get(sale.reference, 0)
                self.states[sale.reference] = "done" if left else "posted"
                self.unfinished[sale.reference] = max(0, left - 1)

        self._fail(commit, self.failures)
        return self.find([s.reference for s in sales])

    def move_stock(self, moves: Sequence[StockMove]) -> dict[str, int]:
        def commit() -> None:
            for move in moves:
                self.moves.setdefault(move.reference, move)

        self._fail(commit, self.move_failures)
        return self.find_moves([m.reference for m in moves])


def sale(reference: str, sku: str = "SKU-A", store: str = "S0001") -> NewPosting:
    payload = {
        "reference": reference,
        "store_id": store,
        "date": "2026-11-23",
        "lines": [{"sku": sku, "quantity": "2", "unit_gross_price": "1.5000"}],
        "payments": [["cash", "3.00"]],
    }
    return NewPosting(key=f"invoice:{reference}", kind="invoice", ext_no=reference, payload=payload)


def waste(reference: str) -> NewPosting:
    payload = {"sku": "SKU-B", "store_id": "S0001", "quantity": "-3"}
    return NewPosting(key=f"journal:{reference}", kind="journal", ext_no=reference, payload=payload)


def backend(pos: ScriptedPos) -> TrytonAdapter:
    rpc = TrytonRpc("http://127.0.0.1:9/none/", user="admin", password="x")
    return TrytonAdapter(rpc, pos=pos)  # type: ignore[arg-type]


def posting(new: NewPosting) -> Posting:
    return Posting(new.key, new.kind, new.ext_no, new.payload, 0, False, {})


def batcher(
    tmp_path: Path, pos: ScriptedPos, rows: Sequence[NewPosting]
) -> tuple[Batcher, StateStore]:
    store = StateStore(tmp_path)
    store.record(list(rows))
    return (
        Batcher(
            store=store,
            erp=backend(pos),
            policy=POLICY,
            max_batch=10,
            metrics=Metrics(),
            stop=threading.Event(),
            rng=random.Random(3),
            kinds=("invoice", "credit_memo", "journal"),
        ),
        store,
    )


@pytest.mark.parametrize(
    ("status", "unknown"), [(503, False), (0, True), (500, True), (429, False)]
)
def test_failures_worth_retrying_are_transient(status: int, unknown: bool) -> None:
    pos = ScriptedPos([TrytonError(status, "busy")])
    with pytest.raises(Transient) as caught:
        backend(pos).create(posting(sale("T1")))
    assert caught.value.status == status
    assert caught.value.applied_unknown is unknown
    assert pos.sales == {}


def test_duplicate_reference_is_confirmed_by_lookup() -> None:
    pos = ScriptedPos([("after", TrytonError(409, "a POS reference exists already"))])
    tryton = backend(pos)
    answer = tryton.create(posting(sale("T1")))
    assert (answer.status, answer.erp_id) == (201, "1")
    assert tryton.find(posting(sale("T2"))) is None


def test_collision_without_the_sale_in_tryton_comes_back_later() -> None:
    pos = ScriptedPos([TrytonError(409, "record modified concurrently")])
    tryton = backend(pos)
    assert tryton.create(posting(sale("T1"))).status == 503
    assert tryton.create(posting(sale("T1"))).ok


def test_collision_in_a_batch_is_rechecked_next_round() -> None:
    pos = ScriptedPos([TrytonError(409, "a POS reference exists already")])
    answers = backend(pos).create_many([posting(sale("T1")), posting(sale("T2"))])
    assert {a.status for a in answers.values()} == {409}


class LockedOut(ScriptedPos):
    """Refuses to list its sale points (an access error before anything is posted)."""

    def store_ids(self) -> list[str]:
        raise TrytonError(403, "sale.point.search_read: access denied")


def test_refusals_outside_posting_are_transient_not_lost() -> None:
    with pytest.raises(Transient) as caught:
        backend(LockedOut()).create_many([posting(sale("T1"))])
    assert caught.value.status == 403
    assert str(caught.value) == "403: Tryton: sale.point.search_read: access denied"


def test_unknown_sku_and_store_are_refused_without_sending() -> None:
    pos = ScriptedPos()
    answers = backend(pos).create_many(
        [posting(sale("T1", sku="SKU-Z")), posting(sale("T2", store="S0099")), posting(sale("T3"))]
    )
    assert answers["invoice:T1"].status == 400
    assert answers["invoice:T1"].detail.startswith("SKU 'SKU-Z' (store 'S0001') is not a product")
    assert answers["invoice:T2"].detail.startswith("store 'S0099' has no sale point in Tryton")
    assert answers["invoice:T3"].ok
    assert sorted(pos.sales) == ["T3"]


def test_one_refused_sale_does_not_hold_back_its_batch(tmp_path: Path) -> None:
    pos = ScriptedPos(refuse_sku="SKU-B")
    rows = [sale("T1"), sale("T2", sku="SKU-B"), sale("T3")]
    drainer, store = batcher(tmp_path, pos, rows)
    assert drainer.drain()
    assert sorted(pos.sales) == ["T1", "T3"]
    counts = store.counts()
    assert (counts["posted"], counts["dead"], counts["dead_letters"]) == (2, 1, 1)


def test_unanswered_batch_is_looked_up_not_sent_again(tmp_path: Path) -> None:
    pos = ScriptedPos([("after", TrytonError(0, "no answer"))])
    rows = [sale(f"T{i}") for i in range(5)] + [waste("W1")]
    drainer, store = batcher(tmp_path, pos, rows)
    assert drainer.drain()
    assert pos.creates == 1
    assert sorted(pos.sales) == [f"T{i}" for i in range(5)]
    assert store.counts()["posted"] == 6


def test_lock_errors_back_off_then_post_once(tmp_path: Path) -> None:
    pos = ScriptedPos([TrytonError(503, "locked"), TrytonError(503, "locked")])
    clock = StepClock()
    store = StateStore(tmp_path, clock=clock)
    store.record([sale("T1")])
    poster = Poster(
        store=store,
        erp=backend(pos),
        policy=POLICY,
        workers=1,
        metrics=Metrics(),
        stop=threading.Event(),
        rng=random.Random(2),
    )
    for _ in range(200):
        for row in store.claim(10):
            poster.post(row)
        if store.counts()["posted"]:
            break
        clock.advance(1)
    assert pos.creates == 1
    assert store.counts()["posted"] == 1
    assert store.counts()["dead_letters"] == 0


def test_a_batch_of_sales_is_one_post(tmp_path: Path) -> None:
    pos = ScriptedPos()
    drainer, _store = batcher(tmp_path, pos, [sale(f"T{i}") for i in range(10)])
    assert drainer.drain()
    assert pos.creates == 1


def test_zero_stock_move_needs_no_request() -> None:
    pos = ScriptedPos(move_failures=[TrytonError(503, "would fail if sent")])
    row = waste("W0")
    empty = NewPosting(row.key, row.kind, row.ext_no, {**row.payload, "quantity": "0"})
    assert backend(pos).create(posting(empty)).ok
    assert pos.moves == {}


@pytest.mark.parametrize(("status", "answer"), [(503, RETRY_AGAIN), (0, 409)])
def test_moves_failing_after_their_sales_posted_are_retried_or_rechecked(
    status: int, answer: int
) -> None:
    pos = ScriptedPos(move_failures=[TrytonError(status, "locked")])
    answers = backend(pos).create_many([posting(sale("T1")), posting(waste("W1"))])
    assert answers["invoice:T1"].ok
    assert answers["journal:W1"].status == answer
    assert sorted(pos.sales) == ["T1"]


def test_a_sale_tryton_holds_but_has_not_posted_is_not_taken_for_done() -> None:
    pos = ScriptedPos(unfinished={"T1": 1})
    tryton = backend(pos)
    answer = tryton.create(posting(sale("T1")))
    assert answer.status == 503
    assert answer.detail == "sale T1 is done in Tryton, not posted yet"
    assert tryton.find(posting(sale("T1"))) is None
    assert tryton.create(posting(sale("T1"))).ok
    assert tryton.find(posting(sale("T1"))) == "1"


def test_batch_backs_off_for_a_sale_left_unposted_then_finishes_it(tmp_path: Path) -> None:
    pos = ScriptedPos(unfinished={"T2": 2})
    drainer, store = batcher(tmp_path, pos, [sale(f"T{i}") for i in range(4)])
    assert drainer.drain()
    assert pos.states == dict.fromkeys(["T0", "T1", "T2", "T3"], "posted")
    assert store.counts()["posted"] == 4
    assert drainer.metrics.snapshot()["retries"] == 2


def test_the_login_is_user_colon_password() -> None:
    assert login("admin:s3cret:with-colon") == ("admin", "s3cret:with-colon")


@pytest.mark.parametrize("token", ["admin", ":password", "admin:"])
def test_tryton_token_must_be_user_colon_password(token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        login(token)
    assert str(caught.value) == (
        "TILLBENCH_ERP_TOKEN: must be USER:PASSWORD of the Tryton login, got '<hidden>'"
    )

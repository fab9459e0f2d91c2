"""A backlog drained through the batch path, against the mock ERP on a loopback port
(Business Central's defaults: drafts, duplicate external document numbers accepted): more
than ``drain_at`` documents due go out as one ``$batch`` creating the drafts and one posting
them; a batch whose answer was lost is looked up, not sent again, so every sale ends as
exactly one posted document; a batch the ERP refuses as a request falls back to single
documents; an outage uses one attempt per row and trips the breaker once. Retries become
due on a clock the test moves."""

from __future__ import annotations

import random
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.core.http import Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import NewPosting, StateStore
from connectors.erp.bc import BcAdapter, BcClient
from connectors.realtime.poster import Poster
from tests.connectors.clock_support import StepClock
from tests.connectors.erp.bc.support import Wire

with warnings.catch_warnings():  # as tests/mocks/conftest.py does for the mocks' own tests
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    from tests.mocks.erp.support import API, COMPANY, credit_memo, invoice, serve_erp

POLICY = RetryPolicy(attempts=4, base=0.01, cap=0.05)
SETTLE = 30.0


class Outage(Wire):
    """The wire, with the ERP answering 503 to the next ``refusals`` requests."""

    def __init__(self, base: str, *, refusals: int) -> None:
        super().__init__(base)
        self.refusals = refusals

    def once(self, method: str, path: str, **kwargs: Any) -> Any:
        if self.refusals:
            self.refusals -= 1
            self.metrics.add("erp_requests")
            raise Transient(503, False, None, "The service is temporarily unavailable")
        return super().once(method, path, **kwargs)


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[str]:
    with serve_erp(tmp_path) as base:
        yield base


def _poster(
    tmp_path: Path, wire: Wire, *, drain_at: int = 8, count: int = 12, workers: int = 2
) -> Poster:
    store = StateStore(tmp_path / "state", clock=StepClock())
    adapter = BcAdapter(BcClient(wire, COMPANY), wire.metrics)
    poster = Poster(
        store=store,
        erp=adapter,
        policy=POLICY,
        workers=workers,
        metrics=Metrics(),
        stop=threading.Event(),
        rng=random.Random(3),
        settle=SETTLE,
        drain_at=drain_at,
    )
    rows = [
        NewPosting(f"invoice:B{i}", "invoice", f"B{i}", invoice(f"B{i}", ("SKU-1", "S001", 1)))
        for i in range(count - 1)
    ]
    rows.append(
        NewPosting("credit_memo:R1", "credit_memo", "R1", credit_memo("R1", ("SKU-2", "S001", 2)))
    )
    store.record(rows)
    return poster


def _round(poster: Poster) -> list[int]:
    """Claim what is due and run each job as a worker would; the sizes of the jobs."""
    store = poster.store
    rows = store.claim(poster.max_batch, kinds=poster.kinds)
    jobs = poster.jobs(rows)
    for job in jobs:
        if isinstance(job, list):
            poster.post_batch(job)
            poster._in_flight -= 1
        else:
            poster.post(job)
    return [len(job) if isinstance(job, list) else 1 for job in jobs]


def _until_posted(poster: Poster, *, rounds: int = 20) -> None:
    clock = poster.store.clock
    assert isinstance(clock, StepClock)
    for _ in range(rounds):
        counts = poster.store.counts()
        if not counts["pending"] and not counts["inflight"]:
            return
        _round(poster)
        clock.advance(SETTLE + 1)
    raise AssertionError(f"still pending: {poster.store.counts()}")


def _documents(base: str, segment: str) -> list[dict[str, Any]]:
    url = f"{base}/api/v2.0/companies({COMPANY})/{segment}"
    return list(httpx.get(url, params={"$top": "1000"}, headers=API).json()["value"])


def _exactly_once(base: str, count: int) -> None:
    invoices = _documents(base, "salesInvoices")
    memos = _documents(base, "salesCreditMemos")
    numbers = sorted(d["externalDocumentNumber"] for d in invoices)
    assert numbers == sorted(f"B{i}" for i in range(count - 1))
    assert [d["externalDocumentNumber"] for d in memos] == ["R1"]
    assert {d["status"] for d in invoices + memos} == {"Open"}  # posted, no draft left
    url = f"{base}/api/tillbench/inventory/v1.0/companies({COMPANY})/locationInventories"
    stock = httpx.get(url, params={"locationCode": "S001"}, headers=API).json()["value"]
    book = {row["itemNumber"]: float(row["inventory"]) for row in stock}
    assert (book["SKU-1"], book["SKU-2"]) == (100 - (count - 1), 50 + 2)


def test_a_backlog_is_two_batches_not_two_requests_per_document(erp: str, tmp_path: Path) -> None:
    wire = Wire(erp)
    poster = _poster(tmp_path, wire)
    try:
        assert _round(poster) == [12]
        _exactly_once(erp, 12)
        assert wire.metrics.snapshot()["erp_requests"] == 2
        assert poster.store.counts()["posted"] == 12
    finally:
        wire.close()


def test_a_backlog_is_shared_by_the_workers_but_one(erp: str, tmp_path: Path) -> None:
    wire = Wire(erp)
    poster = _poster(tmp_path, wire, workers=4, count=30)
    try:
        assert _round(poster) == [10, 10, 10]  # three batches at once; a worker stays free
        _exactly_once(erp, 30)
        assert wire.metrics.snapshot()["erp_requests"] == 6
    finally:
        wire.close()


def test_a_few_documents_go_one_by_one(erp: str, tmp_path: Path) -> None:
    wire = Wire(erp)
    poster = _poster(tmp_path, wire, count=8)
    try:
        assert _round(poster) == [1] * 8
        _exactly_once(erp, 8)
        assert wire.metrics.snapshot()["erp_requests"] == 16  # a draft and its post each
    finally:
        wire.close()


def test_drain_at_zero_never_batches(erp: str, tmp_path: Path) -> None:
    wire = Wire(erp)
    poster = _poster(tmp_path, wire, drain_at=0)
    try:
        assert _round(poster) == [1] * 12
    finally:
        wire.close()


@pytest.mark.parametrize("lost", ["salesInvoiceLines", "Microsoft.NAV.post"])
def test_a_batch_whose_answer_was_lost_is_looked_up_not_sent_again(
    erp: str, tmp_path: Path, lost: str
) -> None:
    wire = Wire(erp, lose_after=lost)
    poster = _poster(tmp_path, wire)
    try:
        _round(poster)
        counts = poster.store.counts()
        assert (counts["posted"], counts["pending"]) == (0, 12)  # all uncertain, settling
        _until_posted(poster)
        _exactly_once(erp, 12)
    finally:
        wire.close()


def test_a_batch_refused_as_a_request_falls_back_to_single_documents(
    tmp_path: Path,
) -> None:
    with serve_erp(tmp_path, batch={"max_operations": 5}) as base:
        wire = Wire(base)
        poster = _poster(tmp_path, wire)
        try:
            assert _round(poster) == [12]
            assert poster.store.counts()["pending"] == 12  # released, no attempt used
            assert _round(poster) == [1] * 12
            _exactly_once(base, 12)
        finally:
            wire.close()


def test_an_outage_uses_one_attempt_per_row_and_trips_the_breaker_once(
    erp: str, tmp_path: Path
) -> None:
    wire = Outage(erp, refusals=1)
    poster = _poster(tmp_path, wire)
    try:
        assert _round(poster) == [12]
        assert poster.outcomes.breaker.wait_time() > 0
        assert poster.outcomes.breaker._failures == 1
        assert poster.store.claim(100) == []  # every row waits for its backoff
        clock = poster.store.clock
        assert isinstance(clock, StepClock)
        clock.advance(1)
        rows = poster.store.claim(100)
        assert [(r.attempts, r.uncertain) for r in rows] == [(1, False)] * 12
        poster.store.release(r.key for r in rows)
        _until_posted(poster)
        _exactly_once(erp, 12)
        assert poster.outcomes.breaker._failures == 0
    finally:
        wire.close()


class Recorded(Outage):
    """The outage wire, remembering what each request was (``$batch`` or the last path
    segment) and its outcome."""

    def __init__(self, base: str, *, refusals: int) -> None:
        super().__init__(base, refusals=refusals)
        self.sent: list[tuple[str, bool]] = []
        self._lock = threading.Lock()

    def once(self, method: str, path: str, **kwargs: Any) -> Any:
        what = path.rsplit("/", 1)[-1].split("(")[0]
        try:
            reply = super().once(method, path, **kwargs)
        except Transient:
            with self._lock:
                self.sent.append((what, False))
            raise
        with self._lock:
            self.sent.append((what, True))
        return reply


def test_after_refusals_one_probe_goes_out_then_the_backlog_in_batches(
    erp: str, tmp_path: Path
) -> None:
    wire = Recorded(erp, refusals=3)
    store = StateStore(tmp_path / "state")
    adapter = BcAdapter(BcClient(wire, COMPANY), wire.metrics)
    stop = threading.Event()
    poster = Poster(
        store=store,
        erp=adapter,
        policy=RetryPolicy(attempts=50, base=0.01, cap=0.05),
        workers=4,
        metrics=Metrics(),
        stop=stop,
        rng=random.Random(5),
    )
    store.record(
        [
            NewPosting(f"invoice:P{i}", "invoice", f"P{i}", invoice(f"P{i}", ("SKU-1", "S001", 1)))
            for i in range(12)
        ]
    )
    poster.start()
    try:
        deadline = time.monotonic() + 30
        while store.counts()["posted"] < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        poster.join(5)
        wire.close()
    assert store.counts()["posted"] == 12
    refused = [what for what, ok in wire.sent if not ok]
    assert refused == ["$batch", "$batch", "salesInvoices"]  # the third: a single probe
    first_ok = next(i for i, (_what, ok) in enumerate(wire.sent) if ok)
    assert wire.sent[first_ok][0] == "salesInvoices"  # the probe that got through
    assert ("$batch", True) in wire.sent[first_ok:]  # then the rest as batches
    invoices = _documents(erp, "salesInvoices")
    assert sorted(d["externalDocumentNumber"] for d in invoices) == sorted(
        f"P{i}" for i in range(12)
    )
    assert {d["status"] for d in invoices} == {"Open"}

"""Real-time posting against a scripted ERP: a post that timed out after the ERP committed
is looked up before it is sent again, so it is posted exactly once (unless the double-post
bug is planted). Retries become due on a clock the test moves."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path
from typing import Any

import httpx

from connectors.core.http import HttpApi
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.seams import Seams
from connectors.core.state import NewPosting, StateStore
from connectors.erp.bc.adapter import BcAdapter
from connectors.erp.bc.client import BcClient
from connectors.realtime.poster import Poster
from tests.connectors.clock_support import StepClock
from tests.connectors.planted.support import DoublePost


class ScriptedErp:
    """Accepts duplicates (like an ERP without unique external numbers); the first POST
    commits and then times out; GET with $filter finds committed documents."""

    def __init__(self, *, first_post_times_out: bool = True, refuse: int = 0) -> None:
        self.documents: list[dict[str, Any]] = []
        self.posts = 0
        self.time_out_next = first_post_times_out
        self.refuse = refuse

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.refuse:
            self.refuse -= 1
            return httpx.Response(503, headers={"Retry-After": "0"}, json={"error": {}})
        if request.method == "POST":
            self.posts += 1
            body = json.loads(request.content)
            doc = {"id": f"doc-{len(self.documents)}", **body}
            self.documents.append(doc)
            if self.time_out_next:
                self.time_out_next = False
                raise httpx.ReadTimeout("timed out after commit", request=request)
            return httpx.Response(201, json=doc)
        wanted = request.url.params.get("$filter", "").split("'")[1]
        found = [d for d in self.documents if d["externalDocumentNumber"] == wanted]
        return httpx.Response(200, json={"value": found})


def make_poster(tmp_path: Path, erp: ScriptedErp, seams: Seams) -> tuple[Poster, StateStore]:
    store = StateStore(tmp_path, clock=StepClock())
    policy = RetryPolicy(attempts=4, base=0.001, cap=0.01)
    api = HttpApi(
        "http://erp.test/api/v2.0",
        "token",
        name="erp",
        policy=policy,
        timeout=1.0,
        rng=random.Random(1),
        metrics=Metrics(),
        stop=threading.Event(),
        transport=httpx.MockTransport(erp),
    )
    poster = Poster(
        store=store,
        erp=seams.erp(BcAdapter(BcClient(api, "company"), Metrics())),
        policy=policy,
        workers=1,
        metrics=Metrics(),
        stop=threading.Event(),
        rng=random.Random(2),
    )
    store.record(
        [
            NewPosting(
                key="invoice:T1",
                kind="invoice",
                ext_no="T1",
                payload={"externalDocumentNumber": "T1", "salesInvoiceLines": []},
            )
        ]
    )
    return poster, store


def drain(poster: Poster, store: StateStore) -> None:
    """Post whatever is due until nothing is pending, a second of the store's clock apart
    (longer than any retry delay of the policy)."""
    clock = store.clock
    assert isinstance(clock, StepClock)
    for _ in range(100):
        if not store.counts()["pending"]:
            return
        for row in store.claim(10):
            poster.post(row)
        clock.advance(1)


def test_timed_out_post_is_looked_up_not_repeated(tmp_path: Path) -> None:
    erp = ScriptedErp()
    poster, store = make_poster(tmp_path, erp, Seams())
    drain(poster, store)
    assert erp.posts == 1
    assert len(erp.documents) == 1
    assert store.counts()["posted"] == 1


def test_double_post_bug_repeats_the_post(tmp_path: Path) -> None:
    erp = ScriptedErp()
    poster, store = make_poster(tmp_path, erp, DoublePost())
    drain(poster, store)
    assert erp.posts == 2
    assert len(erp.documents) == 2


def test_refusals_are_retried_until_the_erp_answers(tmp_path: Path) -> None:
    erp = ScriptedErp(first_post_times_out=False, refuse=2)
    poster, store = make_poster(tmp_path, erp, Seams())
    drain(poster, store)
    assert erp.posts == 1
    assert store.counts() | {"inbox": 0} == {
        "pending": 0,
        "inflight": 0,
        "posted": 1,
        "dead": 0,
        "inbox": 0,
        "dead_letters": 0,
    }


def test_exhausted_attempts_go_to_the_dead_letters(tmp_path: Path) -> None:
    erp = ScriptedErp(first_post_times_out=False, refuse=100)
    poster, store = make_poster(tmp_path, erp, Seams())
    drain(poster, store)
    counts = store.counts()
    assert (counts["dead"], counts["dead_letters"], erp.posts) == (1, 1, 0)

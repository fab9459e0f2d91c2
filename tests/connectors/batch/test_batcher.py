"""Batched posting against a scripted ERP ``$batch``: a batch that committed but whose
answer was lost is looked up, not sent again (unless the double-post bug is planted); a
rolled-back batch is sent again."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path
from typing import Any

import httpx

from connectors.batch.batcher import Batcher
from connectors.core.http import HttpApi
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.seams import Seams
from connectors.core.state import NewPosting, StateStore
from connectors.erp.bc.adapter import BcAdapter
from connectors.erp.bc.client import BcClient
from tests.connectors.planted.support import DoublePost


class ScriptedBatchErp:
    """A JSON ``$batch`` endpoint that accepts duplicates; the first atomic batch commits
    and then times out."""

    def __init__(self, *, lose_first_answer: bool = True, conflict: str | None = None) -> None:
        self.created: list[str] = []
        self.lose = lose_first_answer
        self.conflict = conflict
        self.batches = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        operations = json.loads(request.content)["requests"]
        answers: list[dict[str, Any]] = []
        if all(op["method"] == "GET" for op in operations):
            for op in operations:
                wanted = op["url"].split("%27")[1]
                found = [{"id": n} for n in self.created if n == wanted]
                answers.append({"id": op["id"], "status": 200, "body": {"value": found}})
            return httpx.Response(200, json={"responses": answers})
        self.batches += 1
        numbers = [op["body"]["externalDocumentNumber"] for op in operations]
        if self.conflict in numbers:
            self.conflict = None
            for op, number in zip(operations, numbers, strict=True):
                status = 409 if number in self.created else 424
                answers.append({"id": op["id"], "status": status, "body": {}})
            return httpx.Response(200, json={"responses": answers})
        self.created.extend(numbers)
        if self.lose:
            self.lose = False
            raise httpx.ReadTimeout("answer lost", request=request)
        answers = [{"id": op["id"], "status": 201, "body": {"id": op["id"]}} for op in operations]
        return httpx.Response(200, json={"responses": answers})


def make(
    tmp_path: Path, erp: ScriptedBatchErp, n: int, seams: Seams | None = None
) -> tuple[Batcher, StateStore]:
    store = StateStore(tmp_path)
    policy = RetryPolicy(attempts=5, base=0.001, cap=0.01)
    stop = threading.Event()
    api = HttpApi(
        "http://erp.test/api/v2.0",
        "token",
        name="erp",
        policy=policy,
        timeout=1.0,
        rng=random.Random(1),
        metrics=Metrics(),
        stop=stop,
        transport=httpx.MockTransport(erp),
    )
    store.record(
        [
            NewPosting(
                key=f"invoice:T{i}",
                kind="invoice",
                ext_no=f"T{i}",
                payload={"externalDocumentNumber": f"T{i}"},
            )
            for i in range(n)
        ]
    )
    batcher = Batcher(
        store=store,
        erp=(seams or Seams()).erp(BcAdapter(BcClient(api, "company"), Metrics())),
        policy=policy,
        max_batch=10,
        metrics=Metrics(),
        stop=stop,
        rng=random.Random(2),
    )
    return batcher, store


def test_lost_answer_is_looked_up_not_reposted(tmp_path: Path) -> None:
    erp = ScriptedBatchErp()
    batcher, store = make(tmp_path, erp, 25)
    assert batcher.drain()
    assert sorted(erp.created) == sorted(f"T{i}" for i in range(25))
    assert store.counts()["posted"] == 25


def test_double_post_bug_sends_the_lost_batch_again(tmp_path: Path) -> None:
    erp = ScriptedBatchErp()
    batcher, _store = make(tmp_path, erp, 25, DoublePost())
    assert batcher.drain()
    assert len(erp.created) == 35
    assert len(set(erp.created)) == 25


def test_conflict_rolls_back_and_the_rest_is_sent_again(tmp_path: Path) -> None:
    erp = ScriptedBatchErp(lose_first_answer=False)
    erp.created.append("T3")
    erp.conflict = "T3"
    batcher, store = make(tmp_path, erp, 8)
    assert batcher.drain()
    assert sorted(erp.created) == sorted(f"T{i}" for i in range(8))
    assert store.counts()["posted"] == 8
    assert erp.batches == 2

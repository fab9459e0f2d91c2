"""After the load: wait until the backlog is 0 and ERP commits stop, bounded by a timeout."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tillbench.load.backlog import BacklogProbe
from tillbench.load.settle import JournalTail, is_commit, wait_settled

INVOICES = "/api/v2.0/companies(c1)/salesInvoices"


def invoice(ref: str, *, status: int = 201, ts: float = 100.0) -> dict[str, Any]:
    return {
        "method": "POST",
        "path": INVOICES,
        "status": status,
        "ts": ts,
        "latency_ms": 0,
        "ref": ref,
    }


class ScriptedJournal(JournalTail):
    """Each poll returns the next scripted batch of journal rows (then nothing)."""

    def __init__(self, batches: list[list[dict[str, Any]]]) -> None:
        super().__init__("http://erp", admin_token="x")
        self.batches = batches

    def poll(self) -> list[dict[str, Any]]:
        new = self.batches.pop(0) if self.batches else []
        self.rows.extend(new)
        return new


class ScriptedProbe(BacklogProbe):
    def __init__(self, values: list[float]) -> None:
        super().__init__("http://connector")
        self.values = values

    def read(self, client: httpx.Client | None = None) -> float | None:
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def test_commits_are_successful_writes() -> None:
    assert is_commit(invoice("A"))
    assert not is_commit(invoice("A", status=429))
    assert not is_commit({"method": "GET", "path": INVOICES, "status": 200})


def test_waits_for_backlog_zero_and_quiet_commits() -> None:
    journal = ScriptedJournal([[invoice("A")], [], [invoice("B")], []])
    probe = ScriptedProbe([3, 2, 1, 0])
    done = wait_settled(
        journal,
        accepted=lambda: {"A": 99.0, "B": 99.5},
        probe=probe,
        timeout_s=10,
        quiet_s=0.05,
        poll_s=0.01,
    )
    assert done.settled
    assert (done.backlog, done.uncommitted) == (0, 0)
    assert not journal.batches, "stopped before the last commit"
    assert done.seconds >= 0.05


def test_without_metrics_every_accepted_sale_must_be_committed() -> None:
    journal = ScriptedJournal([[invoice("A")]])
    done = wait_settled(
        journal,
        accepted=lambda: {"A": 99.0, "B": 99.5},
        probe=None,
        timeout_s=0.2,
        quiet_s=0.01,
        poll_s=0.01,
    )
    assert not done.settled
    assert done.uncommitted == 1
    assert done.backlog is None
    assert done.seconds == pytest.approx(0.2, abs=0.1)
    assert done.summary()["settled"] is False


def test_journal_tail_pages_and_remembers_where_it_stopped() -> None:
    pages = {0: ([invoice("A"), invoice("B")], 2), 2: ([invoice("C")], 3), 3: ([], 3)}
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        since = int(request.url.params["since_id"])
        seen.append(since)
        assert request.headers["Authorization"] == "Bearer adm"
        rows, next_id = pages[since]
        return httpx.Response(200, json={"rows": rows, "next_since_id": next_id})

    journal = JournalTail("http://erp", admin_token="adm")
    transport = httpx.MockTransport(handler)
    original = httpx.Client

    def client(**kwargs: Any) -> httpx.Client:
        return original(transport=transport, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx, "Client", client)
        assert [r["ref"] for r in journal.poll()] == ["A", "B", "C"]
        assert journal.poll() == []
    assert seen == [0, 2, 3, 3]
    assert len(journal.rows) == 3

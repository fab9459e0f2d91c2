"""After the load: wait until the backlog is 0 and ERP commits stop, bounded by a timeout
(on an injected clock: nothing sleeps); the ERP's writes from its journal."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.tillbench.support import served
from tillbench.load.backlog import BacklogProbe
from tillbench.load.invoices import InvoiceTail
from tillbench.load.settle import JournalTail, is_commit, wait_settled

BATCH = "/api/v2.0/$batch"


def write(*, status: int = 200) -> dict[str, Any]:
    return {"method": "POST", "path": BATCH, "status": status, "ts": 100.0}


class ScriptedJournal(JournalTail):
    """Each poll returns the next scripted batch of journal rows (then nothing)."""

    def __init__(self, batches: list[list[dict[str, Any]]]) -> None:
        super().__init__("http://erp", admin_token="x")
        self.batches = batches

    def poll(self) -> list[dict[str, Any]]:
        return self.batches.pop(0) if self.batches else []


class ScriptedInvoices(InvoiceTail):
    """Each poll commits the next scripted batch of sale ids (then nothing)."""

    def __init__(self, batches: list[list[str]]) -> None:
        super().__init__("http://erp/api/v2.0/companies(c1)", token="x")
        self.batches = batches

    def poll(self) -> int:
        refs = self.batches.pop(0) if self.batches else []
        self.commits.update(dict.fromkeys(refs, 1_700_000_000.0))
        return len(refs)


class FakeClock:
    """A monotonic clock that only moves when the wait sleeps."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def kwargs(self) -> dict[str, Any]:
        return {"clock": self, "sleep": self.sleep}


class ScriptedProbe(BacklogProbe):
    def __init__(self, values: list[float]) -> None:
        super().__init__("http://connector")
        self.values = values

    def read(self, client: httpx.Client | None = None) -> float | None:
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def test_commits_are_successful_writes() -> None:
    assert is_commit(write())
    assert not is_commit(write(status=429))
    assert not is_commit({"method": "GET", "path": BATCH, "status": 200})


def test_waits_for_backlog_zero_and_quiet_commits() -> None:
    invoices = ScriptedInvoices([["A"], [], ["B"], []])
    done = wait_settled(
        ScriptedJournal([]),
        invoices=invoices,
        accepted=lambda: {"A": 99.0, "B": 99.5},
        probe=ScriptedProbe([3, 2, 1, 0]),
        timeout_s=10,
        quiet_s=0.05,
        poll_s=0.01,
        **FakeClock().kwargs(),
    )
    assert done.settled
    assert (done.backlog, done.uncommitted) == (0, 0)
    assert not invoices.batches, "stopped before the last commit"
    assert done.seconds >= 0.05


def test_missing_sales_are_waited_for_until_commits_stop_for_the_patience() -> None:
    done = wait_settled(
        ScriptedJournal([[write()]]),
        invoices=ScriptedInvoices([["A"]]),
        accepted=lambda: {"A": 99.0, "B": 99.5},
        probe=None,
        timeout_s=5,
        quiet_s=0.01,
        patience_s=0.3,
        poll_s=0.01,
        **FakeClock().kwargs(),
    )
    assert done.settled, "nothing more came: the verdict counts B as missing"
    assert done.uncommitted == 1
    assert done.backlog is None
    assert done.seconds == pytest.approx(0.3, abs=0.15)


def test_a_late_batch_resets_the_patience_and_a_timeout_is_reported() -> None:
    done = wait_settled(
        ScriptedJournal([[], [], [], [write()]]),
        invoices=ScriptedInvoices([[], [], [], ["A"]]),
        accepted=lambda: {"A": 99.0},
        probe=ScriptedProbe([0]),
        timeout_s=5,
        quiet_s=0.01,
        patience_s=1.0,
        poll_s=0.01,
        **FakeClock().kwargs(),
    )
    assert done.settled
    assert done.uncommitted == 0
    assert done.seconds < 1.0, "every sale committed: quiet_s, not the patience"
    stuck = wait_settled(
        ScriptedJournal([]),
        invoices=ScriptedInvoices([]),
        accepted=lambda: {"A": 99.0},
        probe=ScriptedProbe([4]),
        timeout_s=0.2,
        poll_s=0.01,
        **FakeClock().kwargs(),
    )
    assert not stuck.settled
    assert (stuck.backlog, stuck.uncommitted) == (4, 1)
    assert stuck.summary()["settled"] is False


def test_journal_tail_pages_and_remembers_where_it_stopped() -> None:
    pages = {0: ([write(), write()], 2), 2: ([write()], 3), 3: ([], 3)}
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        since = int(request.url.params["since_id"])
        seen.append(since)
        assert request.headers["Authorization"] == "Bearer adm"
        rows, next_id = pages[since]
        return httpx.Response(200, json={"rows": rows, "next_since_id": next_id})

    journal = JournalTail("http://erp", admin_token="adm")
    with served(handler):
        assert len(journal.poll()) == 3
        assert journal.poll() == []
    assert seen == [0, 2, 3, 3]

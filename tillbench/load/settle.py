"""After the load: wait until the connector has carried everything to the ERP.

Settled = the connector's backlog is 0 (when it serves ``/metrics``) *and* no write has been
committed in the ERP for ``quiet_s`` with every sale the POS accepted invoiced, or for
``patience_s`` with some still missing — bounded by ``timeout_s``. The ERP's writes are
read from the mock ERP's request journal (`JournalTail`, incrementally) and the invoices
from the ERP's API (`InvoiceTail`, which the end-to-end join reuses).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from tillbench.load.backlog import BacklogProbe
from tillbench.load.invoices import InvoiceTail

__all__ = ["JournalTail", "Settled", "is_commit", "wait_settled"]

WRITES = ("POST", "PATCH", "PUT", "DELETE")


def is_commit(row: Mapping[str, Any]) -> bool:
    """A journal row that changed the ERP: a successful write under its API."""
    return row.get("method") in WRITES and 200 <= int(row.get("status") or 0) < 300


class JournalTail:
    """The rows of a mock's ``/admin/journal`` under ``path_prefix``, fetched incrementally."""

    def __init__(self, base: str, *, admin_token: str, path_prefix: str = "/api/v2.0") -> None:
        self.base = base.rstrip("/")
        self.path_prefix = path_prefix
        self._since = 0
        self._headers = {"Authorization": f"Bearer {admin_token}"}

    def poll(self) -> list[dict[str, Any]]:
        """The rows journaled since the last poll."""
        new: list[dict[str, Any]] = []
        with httpx.Client(timeout=60, headers=self._headers) as client:
            while True:
                response = client.get(
                    f"{self.base}/admin/journal",
                    params={
                        "since_id": self._since,
                        "limit": 10_000,
                        "path_prefix": self.path_prefix,
                    },
                )
                response.raise_for_status()
                page = response.json()
                if not page["rows"]:
                    break
                new.extend(page["rows"])
                self._since = int(page["next_since_id"])
        return new


@dataclasses.dataclass(frozen=True, slots=True)
class Settled:
    """How the wait ended: after ``seconds``, settled or timed out, with the last figures."""

    seconds: float
    settled: bool
    backlog: float | None
    """The connector's last reported backlog (None: it reports none)."""
    uncommitted: int
    """Accepted sales without an invoice when the wait ended."""

    def summary(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def wait_settled(
    journal: JournalTail,
    *,
    invoices: InvoiceTail,
    accepted: Callable[[], Mapping[str, float]],
    probe: BacklogProbe | None,
    timeout_s: float,
    quiet_s: float = 2.0,
    patience_s: float | None = None,
    poll_s: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Settled:
    """Poll until settled (module docstring) or ``timeout_s``; never raises on a timeout.

    A connector that polls the POS (batch) reports no backlog for sales it has not fetched
    yet, so while accepted sales are still missing the wait goes on until no commit has
    come for ``patience_s`` (default ``quiet_s``; give a batch connector two intervals):
    then nothing more is coming and the verdict counts what is missing. ``clock`` (seconds,
    monotonic) and ``sleep`` are the wall clock's; tests pass a fake pair."""
    patience = quiet_s if patience_s is None else max(quiet_s, patience_s)
    started = clock()
    last_commit = started
    while True:
        wrote = any(is_commit(row) for row in journal.poll())
        if invoices.poll() or wrote:
            last_commit = clock()
        backlog = probe.read() if probe is not None else None
        uncommitted = sum(1 for txn in accepted() if txn not in invoices.commits)
        now = clock()
        idle = now - last_commit
        empty = backlog is None or backlog == 0
        if empty and idle >= (quiet_s if uncommitted == 0 else patience):
            return Settled(now - started, True, backlog, uncommitted)
        if now - started >= timeout_s:
            return Settled(now - started, False, backlog, uncommitted)
        sleep(poll_s)

"""`PosHandle` and `ErpHandle`: a running mock as a test uses it.

Each carries where the mock answers (``base_url``; ``url``, what a connector is given),
the connector's ``token``, the contract's ``env`` of its side, ``admin`` (typed helpers
over the admin API: faults, journal, clock, health, seeding, state) and faults as context
managers (``outage``, ``errors``, ``latency``, ``rate_limit``; the POS's ``webhooks``).
The POS rings the scenario's transactions at its registers; the ERP reads back its
documents through its own API and waits for them with assertions that say what is wrong.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from tillbench.testing.admin import Admin, ErpAdmin, PosAdmin
from tillbench.testing.documents import ErpDocument, posted_counts, read_documents
from tillbench.testing.faults import Clock, Duration, Fault, FaultMaker, WebhookFaults
from tillbench.testing.seeddata import SeedData

__all__ = ["ErpHandle", "MockHandle", "PosHandle"]


class MockHandle:
    """What every mock offers a test (see the module docstring)."""

    side: str
    admin: Admin

    def __init__(
        self,
        *,
        target: Any,
        data: SeedData | None,
        scenario: Any,
        token: str,
        harness_token: str,
        admin_token: str,
        mode: str,
        workdir: Path,
    ) -> None:
        self.target = target
        """The live-run target behind it (``tillbench.live.targets``)."""
        self.data = data
        """What it was seeded with (None: not seeded)."""
        self.scenario = scenario
        self.token = token
        """The connector's API bearer token (its requests are journaled as ``connector``)."""
        self.harness_token = harness_token
        """The harness's own token (journaled as ``harness``)."""
        self.admin_token = admin_token
        self.mode = mode
        """``inprocess`` or ``subprocess``."""
        self.workdir = workdir
        """The temporary folder of its database and reads."""
        self._reads = itertools.count(1)
        self._http = FaultMaker(self.admin, self.side)

    @property
    def dialect(self) -> str:
        """The dialect's name: ``square``, ``bc``."""
        return str(self.target.name)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: the mock's root (``/admin`` lives here)."""
        return str(self.target.base)

    @property
    def url(self) -> str:
        """The API root the connector is given (the contract's ``TILLBENCH_*_URL``)."""
        return str(self.target.url)

    @property
    def database(self) -> str:
        return str(self.target.database)

    @property
    def env(self) -> dict[str, str]:
        """The contract's variables of this side (``TILLBENCH_POS_*`` or ``TILLBENCH_ERP_*``)."""
        return dict(self.target.connector_env())

    def _scratch(self) -> Path:
        folder = self.workdir / "reads" / str(next(self._reads))
        folder.mkdir(parents=True)
        return folder

    def outage(
        self,
        *,
        mode: Literal["503", "reset", "hang"] = "503",
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """Every API request fails (``with erp.outage(): …``); see `FaultMaker.outage`."""
        return self._http.outage(mode=mode, for_=for_, clock=clock, paths=paths)

    def errors(
        self,
        rate: float = 1.0,
        *,
        status: int = 500,
        phase: Literal["before", "after"] = "before",
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """A share of requests answers ``status``; see `FaultMaker.errors`."""
        return self._http.errors(
            rate, status=status, phase=phase, for_=for_, clock=clock, paths=paths
        )

    def latency(
        self,
        latency: str | float | dict[str, str | float],
        *,
        rate: float | None = None,
        phase: Literal["before", "after"] = "before",
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """Slow answers; see `FaultMaker.latency`."""
        return self._http.latency(
            latency, rate=rate, phase=phase, for_=for_, clock=clock, paths=paths
        )

    def rate_limit(
        self,
        rate: float | None = None,
        *,
        status: int = 429,
        factor: float | None = None,
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """429 with ``Retry-After``, or a shrunk request window; see `FaultMaker.rate_limit`."""
        return self._http.rate_limit(
            rate, status=status, factor=factor, for_=for_, clock=clock, paths=paths
        )

    def close(self) -> None:
        self.admin.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.dialect} {self.mode} at {self.base_url}>"


class PosHandle(MockHandle):
    """A mock POS (``square``)."""

    side = "pos"
    admin: PosAdmin

    def __init__(self, **kwargs: Any) -> None:
        self.admin = PosAdmin(kwargs["target"].base, token=kwargs["admin_token"])
        super().__init__(**kwargs)
        self.webhooks = WebhookFaults(self.admin)
        """Webhook faults: ``with pos.webhooks.duplicate(0.3): …``."""
        self._rung: set[str] = set()
        self._next = 0

    def subscribe(self, notification_url: str) -> str:
        """Subscribe ``notification_url`` to the contract's events; the signing secret."""
        return str(self.target.subscribe(notification_url))

    def ring(self, count: int | None = None, *, kinds: Iterable[str] | None = None) -> list[str]:
        """Ring the scenario's next ``count`` transactions (of ``kinds``: ``sale``,
        ``return``, ``cancel``, ``post_void``; all when None) at the POS's registers, now;
        their ``reference_id``s. A post-void of a sale not rung here is skipped."""
        if self.data is None:
            raise AssertionError("this POS was started without a scenario's data to ring")
        wanted = None if kinds is None else set(kinds)
        picked: list[dict[str, Any]] = []
        stream = self.data.transactions
        while self._next < len(stream) and (count is None or len(picked) < count):
            txn = stream[self._next]
            self._next += 1
            if wanted is not None and txn["kind"] not in wanted:
                continue
            voided = txn.get("voided_txn_id")
            if txn["kind"] == "post_void" and voided not in self._rung:
                continue
            picked.append(txn)
        if count is not None and len(picked) < count:
            raise AssertionError(
                f"the scenario {self.scenario.name!r} has only {len(picked)} more "
                f"transactions of {sorted(wanted or ['any kind'])} to ring, {count} asked"
            )
        self.admin.ingest(picked)
        refs = [str(t["txn_id"]) for t in picked]
        self._rung.update(refs)
        return refs

    def ring_sales(self, count: int) -> list[str]:
        """Ring the scenario's next ``count`` sales; their ``reference_id``s."""
        return self.ring(count, kinds=["sale"])


class ErpHandle(MockHandle):
    """A mock ERP (``bc``)."""

    side = "erp"
    admin: ErpAdmin

    def __init__(self, **kwargs: Any) -> None:
        self.admin = ErpAdmin(kwargs["target"].base, token=kwargs["admin_token"])
        super().__init__(**kwargs)

    def documents(self) -> list[ErpDocument]:
        """Every sales invoice, credit memo and item journal line, read through the
        dialect's API with the harness's credential (as a live run collects them)."""
        folder = self._scratch()
        self.target.collect_tables(folder, self.admin.clock.get())
        return read_documents(folder)

    def posted(self, reference: str) -> list[ErpDocument]:
        """The posted sales documents whose external document number is ``reference``."""
        return [
            d
            for d in self.documents()
            if d.posted and d.kind != "journal" and d.external_document_number == reference
        ]

    def wait_for_posted(
        self, references: Iterable[str], *, within: float = 30.0, settle: float = 1.0
    ) -> list[ErpDocument]:
        """Wait until every one of ``references`` has a posted document, then ``settle``
        seconds more (a second copy can land late); the documents. `AssertionError`
        naming the missing ones and what the ERP saw of the connector if time runs out."""
        __tracebackhide__ = True
        wanted = list(dict.fromkeys(references))
        deadline = time.monotonic() + within
        while True:
            try:
                docs = self.documents()
                error = None
            except Exception as exc:  # an ERP fault may hide it for a while
                docs, error = [], exc
            counts = posted_counts(docs)
            missing = [r for r in wanted if counts[r] == 0]
            if not missing and error is None:
                break
            if time.monotonic() >= deadline:
                raise AssertionError(self._missing_message(wanted, missing, docs, within, error))
            time.sleep(0.25)
        if settle > 0:
            time.sleep(settle)
            docs = self.documents()
        return docs

    def assert_posted_once(
        self, references: Iterable[str], *, within: float = 30.0, settle: float = 1.0
    ) -> list[ErpDocument]:
        """Every one of ``references`` posted exactly once, no draft left behind for
        them, within ``within`` seconds; their documents. The assertion names the missing,
        the doubled and the drafts."""
        __tracebackhide__ = True
        wanted = list(dict.fromkeys(references))
        docs = self.wait_for_posted(wanted, within=within, settle=settle)
        counts = posted_counts(docs)
        twice = {r: counts[r] for r in wanted if counts[r] > 1}
        drafts = sorted(
            {
                str(d.external_document_number)
                for d in docs
                if not d.posted and d.external_document_number in set(wanted)
            }
        )
        problems = []
        if twice:
            listed = ", ".join(f"{r} ×{n}" for r, n in twice.items())
            problems.append(f"{len(twice)} of {len(wanted)} posted more than once: {listed}")
        if drafts:
            problems.append(f"drafts left behind (never posted) for: {', '.join(drafts)}")
        if problems:
            raise AssertionError("; ".join(problems))
        return [d for d in docs if d.external_document_number in set(wanted) and d.posted]

    def _missing_message(
        self,
        wanted: list[str],
        missing: list[str],
        docs: list[ErpDocument],
        within: float,
        error: Exception | None,
    ) -> str:
        drafts = {d.external_document_number for d in docs if not d.posted}
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        lines = [
            f"{len(missing)} of {len(wanted)} transactions never reached the ERP as a posted "
            f"document within {within:g} s: {shown}"
        ]
        left = [r for r in missing if r in drafts]
        if left:
            lines.append(f"only a draft for: {', '.join(left)}")
        if error is not None:
            lines.append(f"the last read of the ERP failed: {error}")
        try:
            calls = self.admin.journal.rows(credential="connector")
        except Exception:  # the journal is a hint, not the finding
            calls = []
        statuses: dict[int, int] = {}
        for row in calls:
            statuses[row.status] = statuses.get(row.status, 0) + 1
        answered = ", ".join(f"{n}× {s}" for s, n in sorted(statuses.items())) or "none"
        lines.append(f"the connector made {len(calls)} ERP requests (answers: {answered})")
        return "\n".join(lines)

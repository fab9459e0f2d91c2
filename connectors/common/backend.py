"""The seam between the posting machinery and one ERP: what `Poster` (one posting per
request) and `Batcher` (many per request) need from an ERP, whatever it speaks.

An `ErpBackend` maps POS orders to its own payloads, posts outbox rows, and looks them up
by their reference (the external document number) so that a request whose outcome is
unknown is never sent twice. Failures that are worth retrying raise
`connectors.common.http.Transient` (``status`` 0 = no answer; ``applied_unknown`` = the ERP
may have committed); every other outcome is an `Answer` with an HTTP-like status:

- 2xx: the ERP holds the posting (``erp_id`` is its id there);
- 409: the ERP already holds that reference, or may: confirm by lookup;
- 424: not applied because another posting of the same batch was refused: send again;
- 429, 5xx: not done yet, come back after a backoff (e.g. Tryton holds the sale but has not
  finished posting it);
- other 4xx: refused for good (dead letter; ``detail`` says why).

Implementations: `connectors.common.bc_backend.BcBackend` (Business Central API v2.0) and
`connectors.common.tryton_backend.TrytonBackend` (Tryton's point of sale over JSON-RPC).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from connectors.common.mapping import ErpDocument, MapOptions
from connectors.common.state import Posting

RETRY_AGAIN = 424
"""`Answer` status of a posting that was not applied because its batch was refused."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the ERP said about one posting."""

    status: int
    erp_id: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """The ERP holds the posting."""
        return 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class Lookups:
    """The outcome of looking postings up: ``found`` (key → ERP id, possibly empty) and
    ``absent`` keys; keys in neither could not be checked this time."""

    found: dict[str, str] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)


class ErpBackend(Protocol):
    """One ERP as the posting machinery sees it."""

    kind: str
    """``business-central`` or ``tryton`` (the value of ``TILLBENCH_ERP_KIND``)."""

    def map_order(
        self, order: Mapping[str, Any], skus: Mapping[str, str], options: MapOptions
    ) -> ErpDocument | None:
        """The document a COMPLETED POS order becomes (None for orders that are not one)."""
        ...

    def find(self, posting: Posting) -> str | None:
        """The ERP id of ``posting`` if the ERP holds it ("" when it has no id), else None.
        Raises `Transient`."""
        ...

    def create(self, posting: Posting) -> Answer:
        """Send one posting once (no retries; raises `Transient`)."""
        ...

    def find_many(self, postings: Sequence[Posting]) -> Lookups:
        """Look several postings up in as few requests as the ERP allows (raises `Transient`
        when nothing could be checked)."""
        ...

    def create_many(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        """Send several postings in as few requests as the ERP allows; an answer per key
        (raises `Transient` when the whole request failed)."""
        ...

    def stats(self) -> dict[str, int]:
        """Counters for ``/metrics``: ``erp_calls``, ``erp_status_503``, ``erp_retries``."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...

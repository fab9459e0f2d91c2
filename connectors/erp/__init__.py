"""ERP adapters: what the connector needs from one ERP, whatever it speaks.

An `ErpAdapter` maps dialect-neutral documents (`connectors.core.documents`) to its own
payloads, posts outbox rows, and looks them up by their reference (the external document
number) so that a request whose outcome is unknown is never sent twice. Failures worth
retrying raise `connectors.core.http.Transient` (``status`` 0 = no answer;
``applied_unknown`` = the ERP may have committed); every other outcome is an `Answer` with
an HTTP-like status:

- 2xx: the ERP holds the posting (``erp_id`` is its id there);
- 409: the ERP already holds that reference, or may: confirm by lookup;
- 424 (`RETRY_AGAIN`): not applied because another posting of the same batch was refused;
- 429, 5xx: not done yet, come back after a backoff (e.g. Tryton holds the sale but has not
  finished posting it);
- other 4xx: refused for good (dead letter; ``detail`` says why).

`ADAPTERS` names them for ``TILLBENCH_ERP_KIND``: ``bc`` (`connectors.erp.bc`, Business
Central API v2.0), ``tryton`` (`connectors.erp.tryton`, Tryton's point of sale over
JSON-RPC) and ``netsuite`` (`connectors.erp.netsuite`, SuiteTalk REST web services). Each
entry is ``"module:factory"``, imported only when chosen; the factory takes a
`connectors.core.adapters.AdapterContext`. Adding an ERP is a folder here and one line in
`ADAPTERS` (see ``connectors/README.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from connectors.core.documents import PosDocument, StockChange
    from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
    from connectors.core.state import Posting

__all__ = [
    "ADAPTERS",
    "RETRY_AGAIN",
    "Answer",
    "ErpAdapter",
    "ErpCatalogue",
    "Lookups",
]

ADAPTERS: dict[str, str] = {
    "bc": "connectors.erp.bc.adapter:create",
    "tryton": "connectors.erp.tryton.adapter:create",
    "netsuite": "connectors.erp.netsuite.adapter:create",
}
"""``TILLBENCH_ERP_KIND`` → ``"module:factory"`` of its adapter."""

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


class ErpCatalogue(Protocol):
    """The ERP as the source of the ERP → POS sync (items, prices, customers, stock)."""

    def items_since(self, moment: str | None) -> list[CatalogueItem]:
        """Items changed after ``moment`` (every item when None)."""
        ...

    def customers_since(self, moment: str | None) -> list[CustomerRecord]:
        """Customers changed after ``moment`` (every customer when None)."""
        ...

    def stock_moves(self) -> list[ErpStockMove]:
        """Every stock move made in the ERP by others (the connector keeps track of which
        it already carried)."""
        ...


class ErpAdapter(Protocol):
    """One ERP as the connector sees it."""

    name: str
    """Its name in `ADAPTERS` (the value of ``TILLBENCH_ERP_KIND``)."""
    atomic_reversals: bool
    """True when `create_many` commits a document together with the stock payloads in its
    ``extra["reversals"]`` in one transaction (the hybrid mode needs it)."""

    @property
    def catalogue(self) -> ErpCatalogue | None:
        """The source of the ERP → POS sync; None when the connector does not run it."""
        ...

    def map_document(self, document: PosDocument) -> dict[str, Any]:
        """The payload a sale or return becomes (`MappingError` when it cannot)."""
        ...

    def stock_payload(self, changes: Sequence[StockChange]) -> dict[str, Any]:
        """The payload of one posting that moves stock by all of ``changes`` at once."""
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

"""Planted bugs that post the wrong documents: the reference connector with one seam wrapped
from outside (`connectors.core.seams.Seams`), so that verification can be shown to catch
each. Business Central only (they edit its payloads); the reference connectors' own code
has no switch for any of them.

- `ExtraInvoices`: beside about 5 % of sales, posts an invoice for nothing (a one-cent
  line under ``X-<ref>``, as a test posting left in production code would).
- `RepostUnderOtherReference`: when a post's outcome is unknown (a timeout, a 5xx), posts
  the same document again at once under ``<ref>-R`` instead of looking it up — what a
  connector does to get past an ERP that refuses duplicate external document numbers.
- `SwapStores`: posts the documents of two stores with each other's location code
  (``S0001`` and ``S0002``: a location mapping table with two rows swapped).

Each is started by its script in this folder (``python
tests/connectors/planted/extra_invoices.py [MODE]``) through `main`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from connectors.core.documents import CREDIT_MEMO, INVOICE, ErpDocument, PosDocument
from connectors.core.errors import ConfigError
from connectors.core.http import Transient
from connectors.core.intake import Mapper
from connectors.core.runtime import run
from connectors.core.seams import Seams
from connectors.core.state import Posting
from connectors.erp import Answer, ErpAdapter
from connectors.erp.bc.mapping import lines_key
from tests.connectors.planted.support import Delegate

EXTRA_SHARE = 0.05
"""Share of sales the extra-invoices bug posts an invoice for nothing beside."""
SWAPPED = ("S0001", "S0002")
"""The two stores whose location codes the swap-stores bug exchanges."""
MAX_REFERENCE = 35
"""Business Central's externalDocumentNumber holds 35 characters."""


def chosen(reference: str, share: float = EXTRA_SHARE) -> bool:
    """Deterministic ~``share`` of references (salted apart from the drop-sales bug's)."""
    digest = hashlib.sha256(f"extra:{reference}".encode()).digest()
    return int.from_bytes(digest[:4], "big") < share * 2**32


def extra_reference(reference: str) -> str:
    return f"X-{reference}"[:MAX_REFERENCE]


def repost_reference(reference: str) -> str:
    return f"{reference}-R"[:MAX_REFERENCE]


def _business_central(erp: ErpAdapter, bug: str) -> None:
    if erp.name != "bc":
        raise ConfigError(
            "TILLBENCH_ERP_KIND", erp.name, f"the {bug} bug edits Business Central payloads; use bc"
        )


def _renamed(posting: Posting, reference: str, payload: dict[str, Any]) -> Posting:
    return dataclasses.replace(
        posting,
        key=f"{posting.kind}:{reference}",
        ext_no=reference,
        payload={**payload, "externalDocumentNumber": reference},
    )


class ExtraPoster(Delegate):
    """Posts each invoice, and beside a share of them an invoice for nothing."""

    def create(self, posting: Posting) -> Answer:
        answer: Answer = self.inner.create(posting)
        if answer.ok and posting.kind == INVOICE and chosen(posting.ext_no):
            key = lines_key(False)
            first = dict(posting.payload[key][0])
            first.update(quantity=1.0, unitPrice=0.01, discountAmount=0.0, taxPercent=0.0)
            extra = _renamed(
                posting, extra_reference(posting.ext_no), {**posting.payload, key: [first]}
            )
            self.inner.create(extra)
        return answer


class ExtraInvoices(Seams):
    """Post an invoice for nothing beside about 5 % of sales (module docstring)."""

    def erp(self, erp: ErpAdapter) -> ErpAdapter:
        _business_central(erp, "extra-invoices")
        return ExtraPoster(erp)


class RePoster(Delegate):
    """Answers an unknown outcome by posting the document again under ``<ref>-R``."""

    def create(self, posting: Posting) -> Answer:
        answer: Answer
        if posting.kind not in (INVOICE, CREDIT_MEMO):
            answer = self.inner.create(posting)
            return answer
        try:
            answer = self.inner.create(posting)
            return answer
        except Transient as error:
            if not error.applied_unknown:
                raise
        again = _renamed(posting, repost_reference(posting.ext_no), posting.payload)
        answer = self.inner.create(again)
        return answer


class RepostUnderOtherReference(Seams):
    """Post again under ``<ref>-R`` when a post's outcome is unknown (module docstring)."""

    def erp(self, erp: ErpAdapter) -> ErpAdapter:
        _business_central(erp, "repost-other-reference")
        return RePoster(erp)


def swapped(store: str) -> str:
    """The location code the swap-stores bug posts ``store``'s documents to."""
    first, second = SWAPPED
    return {first: second, second: first}.get(store, store)


class SwapStores(Seams):
    """Post two stores' documents with each other's location code (module docstring)."""

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        _business_central(erp, "swap-stores")

        def wrong(document: PosDocument) -> ErpDocument | None:
            mapped = mapper(document)
            if mapped is None or swapped(mapped.store_id) == mapped.store_id:
                return mapped
            store = swapped(mapped.store_id)
            key = lines_key(mapped.kind == CREDIT_MEMO)
            lines = [{**line, "locationCode": store} for line in mapped.body.get(key) or []]
            return dataclasses.replace(mapped, store_id=store, body={**mapped.body, key: lines})

        return wrong


MISPOSTING: dict[str, Callable[[str], Seams]] = {
    "extra-invoices": lambda _mode: ExtraInvoices(),
    "repost-other-reference": lambda _mode: RepostUnderOtherReference(),
    "swap-stores": lambda _mode: SwapStores(),
}
"""Bug name → its seams for a mode."""


def main(bug: str, argv: Sequence[str] | None = None) -> int:
    """Run the reference connector with ``bug`` planted; ``argv``: ``[MODE]`` (realtime by
    default, batch or hybrid)."""
    args = list(sys.argv[1:] if argv is None else argv)
    mode = args[0] if args else "realtime"
    return run(mode, seams=MISPOSTING[bug](mode))

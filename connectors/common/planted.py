"""Planted bugs for the test suite: switches that make a reference connector wrong in one
known way, so tests can show that verification catches it.

Nothing in the connectors' command line turns them on: only the scripts under
``tests/connectors/planted/`` call `connectors.common.runtime.run` with a `PlantedBugs`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

NAMES = (
    "drop-sales",
    "double-post",
    "absolute-stock",
    "ignore-returns",
    "tax-per-line",
    "card-notes",
)


@dataclass(frozen=True, slots=True)
class PlantedBugs:
    """Each field one bug; all off is the reference connector."""

    drop_sales: bool = False
    """Silently skip about 2 % of sales (chosen by a hash of the txn id)."""
    double_post: bool = False
    """Retry a timed-out post without looking the document up first."""
    absolute_stock: bool = False
    """Copy POS stock counts to the ERP as absolute values (read ERP, write the difference)."""
    ignore_returns: bool = False
    """Never post credit memos."""
    tax_per_line: bool = False
    """Send the nominal tax rate, so the ERP rounds tax per line instead of per document."""
    card_notes: bool = False
    """Copy order notes into the ERP without removing card numbers."""

    @classmethod
    def of(cls, *names: str) -> PlantedBugs:
        """Bugs by their names in `NAMES` (``drop-sales`` …)."""
        known = {f.name.replace("_", "-") for f in fields(cls)}
        for name in names:
            if name not in known:
                raise ValueError(f"unknown planted bug {name!r}; choose from {sorted(known)}")
        return cls(**{n.replace("-", "_"): True for n in names})

    @property
    def any(self) -> bool:
        """True when at least one bug is on."""
        return any(getattr(self, f.name) for f in fields(self))


def dropped(txn_id: str, share: float = 0.02) -> bool:
    """Deterministic ~``share`` of txn ids (the drop-sales bug's victims)."""
    digest = hashlib.sha256(txn_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") < share * 2**32

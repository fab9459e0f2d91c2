"""A connector for the load tests' verdict: the reference one with the drop-sales bug at a
quarter of the sales (the planted default, 2 %, may spare every sale of a short run).

Started like any connector (the contract's environment): ``python planted_drop.py``.
"""

from __future__ import annotations

import sys

from connectors.common import intake
from connectors.common.planted import PlantedBugs, dropped
from connectors.common.runtime import run

SHARE = 0.25


def _dropped(txn_id: str, share: float = SHARE) -> bool:
    return dropped(txn_id, SHARE)


if __name__ == "__main__":
    intake.dropped = _dropped  # type: ignore[attr-defined]  # re-exported privately
    sys.exit(run("realtime", bugs=PlantedBugs.of("drop-sales")))

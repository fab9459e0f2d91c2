"""A connector for the load tests' verdict: the reference one with the drop-sales bug at a
quarter of the sales (the planted default, 2 %, may spare every sale of a short run).

Started like any connector (the contract's environment): ``python planted_drop.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHARE = 0.25

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from connectors.core.runtime import run
    from tests.connectors.planted.support import DropSales

    sys.exit(run("realtime", seams=DropSales(SHARE)))

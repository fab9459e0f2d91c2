"""Planted-bug connector `drop-sales`: the reference connector built with one wrapped seam
(`tests.connectors.planted.support`).

Skips about 2 % of sales (chosen by a hash of the txn id).

Started like any connector (the contract's environment):
`python drop_sales.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.support import main

    sys.exit(main("drop-sales"))

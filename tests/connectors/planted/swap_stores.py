"""Planted-bug connector `swap-stores`: the reference connector built with one wrapped seam
(`tests.connectors.planted.misposting`).

Posts the documents of stores S0001 and S0002 with each other's location code.

Started like any connector (the contract's environment):
`python swap_stores.py [MODE]`, MODE realtime (default), batch or hybrid; Business Central only.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.misposting import main

    sys.exit(main("swap-stores"))

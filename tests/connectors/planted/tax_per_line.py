"""Planted-bug connector `tax-per-line`: the reference connector built with one wrapped seam
(`tests.connectors.planted.support`).

Lets the ERP compute tax per line from the nominal rate instead of the POS's per-document tax.

Started like any connector (the contract's environment):
`python tax_per_line.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.support import main

    sys.exit(main("tax-per-line"))

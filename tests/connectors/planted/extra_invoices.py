"""Planted-bug connector `extra-invoices`: the reference connector built with one wrapped seam
(`tests.connectors.planted.misposting`).

Posts an invoice for nothing (a one-cent line under X-<ref>) beside about 5 % of sales.

Started like any connector (the contract's environment):
`python extra_invoices.py [MODE]`, MODE realtime (default; batch and hybrid post through
batches this bug does not touch); Business Central only.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.misposting import main

    sys.exit(main("extra-invoices"))

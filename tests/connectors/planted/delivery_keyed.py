"""Planted-bug connector `delivery-keyed`: the reference connector built with two wrapped
seams (`tests.connectors.planted.support`).

Takes every webhook delivery for new work and posts once per delivery instead of once per
order, so a duplicate delivery posts the sale again under another number.

Started like any connector (the contract's environment):
`python delivery_keyed.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.support import main

    sys.exit(main("delivery-keyed"))

"""Planted-bug connector `ignore-returns`: the reference connector built with one wrapped seam
(`tests.connectors.planted.support`).

Never posts credit memos.

Started like any connector (the contract's environment):
`python ignore_returns.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.support import main

    sys.exit(main("ignore-returns"))

"""Planted-bug connector `double-post`: the reference connector built with one wrapped seam
(`tests.connectors.planted.support`).

Re-sends a post whose outcome is unknown (a timeout) without looking it up first.

Started like any connector (the contract's environment):
`python double_post.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.support import main

    sys.exit(main("double-post"))

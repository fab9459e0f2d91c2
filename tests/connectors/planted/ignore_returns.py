"""Planted-bug connector `ignore-returns`.

Never posts credit memos for returns or post-voids.

Started like any connector (the contract's environment):
`python ignore_returns.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys

from connectors.common.planted import PlantedBugs
from connectors.common.runtime import run

if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "realtime"
    sys.exit(run(mode, bugs=PlantedBugs.of("ignore-returns")))

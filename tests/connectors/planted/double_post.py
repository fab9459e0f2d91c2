"""Planted-bug connector `double-post`.

Re-sends a timed-out post without looking the document up first.

Started like any connector (the contract's environment):
`python double_post.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys

from connectors.common.planted import PlantedBugs
from connectors.common.runtime import run

if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "realtime"
    sys.exit(run(mode, bugs=PlantedBugs.of("double-post")))

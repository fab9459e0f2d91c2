"""Planted-bug connector `tax-per-line`.

Sends the nominal tax rate, so the ERP rounds tax per line, not per document.

Started like any connector (the contract's environment):
`python tax_per_line.py [MODE]`, MODE realtime (default), batch or hybrid.
"""

from __future__ import annotations

import sys

from connectors.common.planted import PlantedBugs
from connectors.common.runtime import run

if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "realtime"
    sys.exit(run(mode, bugs=PlantedBugs.of("tax-per-line")))

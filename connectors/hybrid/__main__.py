"""Entry point: run the hybrid connector with the contract's environment."""

from __future__ import annotations

import sys

from connectors.core.runtime import run

if __name__ == "__main__":
    sys.exit(run("hybrid"))

"""Planted-bug connector `repost-other-reference`: the reference connector built with one
wrapped seam (`tests.connectors.planted.misposting`).

Posts a document again under <ref>-R when the outcome of its post is unknown, without a look-up.

Started like any connector (the contract's environment):
`python repost_other_reference.py [MODE]`, MODE realtime (default; batch and hybrid post
through batches this bug does not touch); Business Central only.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout: `tests`
    from tests.connectors.planted.misposting import main

    sys.exit(main("repost-other-reference"))

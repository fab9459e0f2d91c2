"""Short forms a scenario file may use, expanded before documents are merged.

``returns: 0.08`` means ``returns: {rate: 0.08}``. Expanding before the merge keeps the
inherited ``receipted`` and ``window`` of a base scenario.
"""

from __future__ import annotations

from typing import Any

__all__ = ["expand_shorthands"]


def expand_shorthands(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with every short form written out (the input is not modified)."""
    returns = document.get("returns")
    if isinstance(returns, int | float) and not isinstance(returns, bool):
        return {**document, "returns": {"rate": returns}}
    return document

"""Kinds of POS documents, as codes in the simulator's columns and names in the tables."""

from __future__ import annotations

__all__ = ["CANCEL", "KINDS", "POST_VOID", "RETURN", "SALE"]

SALE, RETURN, CANCEL, POST_VOID = 0, 1, 2, 3
KINDS = ("sale", "return", "cancel", "post_void")
"""Name of each code, as written in ``transactions.kind``."""

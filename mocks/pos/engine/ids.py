"""Identifiers in Square's style: 26 upper-case base32 characters.

Random ids come from `secrets` (they are names, not simulation draws). Ids derived from a
stable key — a simulator transaction id — are a hash of it, so replaying an ingestion
produces the same ids.
"""

from __future__ import annotations

import base64
import hashlib
import secrets


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")[:26]


def new_id() -> str:
    """A fresh random id."""
    return _b32(secrets.token_bytes(20))


def stable_id(*parts: object) -> str:
    """An id that is a function of `parts` (same parts → same id)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return _b32(digest)


def new_secret() -> str:
    """A webhook signature key."""
    return secrets.token_urlsafe(16)

"""Webhook signature plumbing: an HMAC-SHA256 digest in base64 and a constant-time compare.

A POS dialect says what it signs and in which header (``connectors.pos.square.signature``);
these two functions do the cryptography the same way for every dialect.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def hmac_sha256_base64(key: str, message: bytes) -> str:
    """``base64(HMAC-SHA256(key, message))``."""
    mac = hmac.new(key.encode("utf-8"), message, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def same_signature(expected: str, received: str | None) -> bool:
    """True when ``received`` (surrounding spaces ignored) is ``expected``, compared in
    constant time; a missing signature never matches."""
    if not received:
        return False
    return hmac.compare_digest(expected.encode("ascii"), received.strip().encode("ascii"))

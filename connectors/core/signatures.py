"""Webhook signature plumbing: an HMAC-SHA256 digest in base64 and a constant-time compare.

A POS dialect says what it signs and in which header (``connectors.pos.square.signature``);
these two functions do the cryptography the same way for every dialect. A received
signature is compared as the bytes that came over the wire: non-ASCII bytes, control
characters or a value longer than `MAX_SIGNATURE_CHARS` simply do not match (a 401 at the
server), they never raise.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["MAX_SIGNATURE_CHARS", "hmac_sha256_base64", "same_signature"]

MAX_SIGNATURE_CHARS = 1024
"""Longest signature header compared; real ones are tens of characters (44 for SHA-256)."""


def hmac_sha256_base64(key: str, message: bytes) -> str:
    """``base64(HMAC-SHA256(key, message))``; the key as UTF-8 (a key read from a non-UTF-8
    environment keeps its original bytes)."""
    mac = hmac.new(key.encode("utf-8", "surrogateescape"), message, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def _wire(text: str) -> bytes:
    """The bytes a header value came as (ASGI servers decode them as latin-1)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def same_signature(expected: str, received: str | None) -> bool:
    """True when ``received`` (surrounding spaces ignored) is ``expected``, compared in
    constant time as bytes; a missing, oversized or unreadable signature never matches."""
    if not received or len(received) > MAX_SIGNATURE_CHARS:
        return False
    return hmac.compare_digest(expected.encode("ascii"), _wire(received.strip()))

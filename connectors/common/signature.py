"""Square webhook signatures: base64(HMAC-SHA256(key, notification URL + raw body)),
compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac

HEADER = "x-square-hmacsha256-signature"


def expected_signature(key: str, url: str, body: bytes) -> str:
    """The signature Square sends for ``body`` delivered to ``url``."""
    mac = hmac.new(key.encode("utf-8"), url.encode("utf-8") + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def verify(key: str, url: str, body: bytes, received: str | None) -> bool:
    """True when ``received`` is the signature of ``body`` (constant-time compare)."""
    if not received:
        return False
    return hmac.compare_digest(
        expected_signature(key, url, body).encode("ascii"), received.strip().encode("ascii")
    )

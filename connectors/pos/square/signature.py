"""Square webhook signatures: base64(HMAC-SHA256(signature key, notification URL + raw
body)) in the `HEADER`, compared in constant time as bytes (a header with non-ASCII bytes
or of absurd length simply does not match)."""

from __future__ import annotations

from connectors.core.signatures import hmac_sha256_base64, same_signature

HEADER = "x-square-hmacsha256-signature"


def expected_signature(key: str, url: str, body: bytes) -> str:
    """The signature Square sends for ``body`` delivered to ``url``."""
    return hmac_sha256_base64(key, url.encode("utf-8", "surrogateescape") + body)


def verify(key: str, url: str, body: bytes, received: str | None) -> bool:
    """True when ``received`` is the signature of ``body`` (constant-time compare)."""
    return same_signature(expected_signature(key, url, body), received)

"""Shopify webhook signatures: ``X-Shopify-Hmac-Sha256`` = base64(HMAC-SHA256(app client
secret, raw body)), compared in constant time."""

from __future__ import annotations

from connectors.core.signatures import hmac_sha256_base64, same_signature

HEADER = "x-shopify-hmac-sha256"


def expected_signature(secret: str, body: bytes) -> str:
    """The signature Shopify sends for ``body``."""
    return hmac_sha256_base64(secret, body)


def verify(secret: str, body: bytes, received: str | None) -> bool:
    """True when ``received`` is the signature of ``body``."""
    return same_signature(expected_signature(secret, body), received)

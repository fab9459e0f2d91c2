"""Square webhook signatures: base64(HMAC-SHA256(signature key, notification URL + raw body)),
and the headers of a Square delivery (the dialect's `WebhookHeaders`)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from mocks.pos.engine.outbox import Due

SIGNATURE_HEADER = "x-square-hmacsha256-signature"


def sign(signature_key: str, notification_url: str, body: bytes) -> str:
    """The value of the `x-square-hmacsha256-signature` header for one delivery."""
    mac = hmac.new(
        signature_key.encode("utf-8"), notification_url.encode("utf-8") + body, hashlib.sha256
    )
    return base64.b64encode(mac.digest()).decode("ascii")


def webhook_headers(due: Due) -> dict[str, str]:
    """Headers of one Square delivery: the signature and Square's own headers."""
    return {
        SIGNATURE_HEADER: sign(due.signature_key, due.url, due.body),
        "square-version": due.api_version,
        "square-environment": "Sandbox",
        "user-agent": "Square Connect v2 (tillbench mock)",
    }

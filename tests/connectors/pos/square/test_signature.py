"""Square webhook signatures: what the connector expects is what the mock POS sends."""

from __future__ import annotations

from connectors.pos.square.signature import expected_signature, verify
from mocks.pos.square.signing import sign

URL = "http://127.0.0.1:9/webhooks/square"
KEY = "signature-key"


def test_signature_agrees_with_the_mock_pos() -> None:
    body = b'{"event_id": "x"}'
    assert expected_signature(KEY, URL, body) == sign(KEY, URL, body)
    assert verify(KEY, URL, body, sign(KEY, URL, body))
    assert not verify(KEY, URL, body + b" ", sign(KEY, URL, body))
    assert not verify(KEY, URL, body, None)

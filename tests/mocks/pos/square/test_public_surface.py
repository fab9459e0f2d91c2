"""The public surface of mocks.pos.square is what `__all__` says, and the app factory takes
plain settings (as `mocks.core.serve` passes them to each worker)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import mocks.pos.engine
import mocks.pos.square
from mocks.core import ConfigError
from mocks.pos.square import create_app


def test_exports() -> None:
    assert set(mocks.pos.square.__all__) == {
        "SIGNATURE_HEADER",
        "SQUARE",
        "SQUARE_VERSION",
        "SquareSettings",
        "create_app",
        "get_settings",
        "sign",
        "webhook_headers",
    }
    for name in mocks.pos.square.__all__:
        assert getattr(mocks.pos.square, name) is not None
    assert {
        "DELIVERY_SCHEMA",
        "PosDialect",
        "PosError",
        "PosSettings",
        "WebhookSettings",
        "create_pos_app",
        "export_deliveries",
    } <= set(mocks.pos.engine.__all__)
    assert issubclass(mocks.pos.square.SquareSettings, mocks.pos.engine.PosSettings)


def test_create_app_from_a_plain_dict(tmp_path: Path) -> None:
    app = create_app(
        {
            "db_url": f"sqlite:///{tmp_path / 'p.db'}",
            "api_tokens": {"t": "qa"},
            "run_background": False,
        }
    )
    with TestClient(app) as client:
        response = client.get("/v2/locations", headers={"Authorization": "Bearer t"})
        assert response.status_code == 200
        assert client.get("/openapi.json").json()["info"]["version"] == "2025-08-20"


def test_bad_settings_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="search_page_cap"):
        create_app({"db_url": f"sqlite:///{tmp_path / 'p.db'}", "search_page_cap": 0})
    with pytest.raises(ConfigError, match=r"webhooks\.timeout_seconds"):
        create_app({"webhooks": {"timeout_seconds": -1}})


def test_signature_helper_matches_squares_definition() -> None:
    import base64
    import hashlib
    import hmac

    url, body = "https://example.com/hook", b'{"event_id":"e1"}'
    digest = hmac.new(b"key", url.encode() + body, hashlib.sha256).digest()
    assert mocks.pos.square.sign("key", url, body) == base64.b64encode(digest).decode()
    assert mocks.pos.square.SIGNATURE_HEADER == "x-square-hmacsha256-signature"

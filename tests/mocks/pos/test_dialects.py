"""The POS dialect registry: name → app factory, light to import, every factory serves."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import mocks.pos
from mocks.pos.dialects import DEFAULT_DIALECT, DIALECTS, app_factory


def test_square_is_registered_and_the_default() -> None:
    assert DIALECTS == {
        "square": "mocks.pos.square.app:create_app",
        "shopify": "mocks.pos.shopify.app:create_app",
    }
    assert DEFAULT_DIALECT == "square"
    assert app_factory("square") == "mocks.pos.square.app:create_app"
    assert mocks.pos.__all__ == ["DEFAULT_DIALECT", "DIALECTS", "app_factory"]
    assert mocks.pos.DIALECTS is DIALECTS


def test_unknown_dialect_names_the_known_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"^dialect: not a POS dialect of the mocks, got 'clover'; "
        r"choose one of: shopify, square$",
    ):
        app_factory("clover")


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_every_factory_serves_from_plain_settings(tmp_path: Path, name: str) -> None:
    module, _, function = app_factory(name).partition(":")
    factory = getattr(importlib.import_module(module), function)
    settings = {
        "db_url": f"sqlite:///{tmp_path / 'pos.sqlite3'}",
        "admin_token": "adm",
        "run_background": False,
    }
    with TestClient(factory(settings)) as client:
        health = client.get("/admin/health", headers={"Authorization": "Bearer adm"}).json()
        outbox = client.get("/admin/pos/webhooks/outbox", headers={"Authorization": "Bearer adm"})
    assert (health["status"], health["mock"]) == ("ok", "pos")
    assert outbox.json() == {"outbox": {}}


def test_the_registry_imports_no_web_stack() -> None:
    code = (
        "import json, sys; import mocks.pos.dialects; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(json.loads(out.stdout)).isdisjoint({"fastapi", "sqlalchemy", "starlette", "pyarrow"})

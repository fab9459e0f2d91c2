"""The ERP dialect registry: name → app factory, light to import, every factory serves."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import mocks.erp
from mocks.erp.dialects import DEFAULT_DIALECT, DIALECTS, app_factory


def test_bc_is_registered_and_the_default() -> None:
    assert DIALECTS == {
        "bc": "mocks.erp.bc.app:create_app",
        "netsuite": "mocks.erp.netsuite.app:create_app",
    }
    assert DEFAULT_DIALECT == "bc"
    assert app_factory("bc") == "mocks.erp.bc.app:create_app"
    assert mocks.erp.__all__ == ["DEFAULT_DIALECT", "DIALECTS", "app_factory"]
    assert mocks.erp.DIALECTS is DIALECTS


def test_unknown_dialect_names_the_known_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"^dialect: not an ERP dialect of the mocks, got 'sap'; choose one of: bc, netsuite$",
    ):
        app_factory("sap")


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_every_factory_serves_from_plain_settings(tmp_path: Path, name: str) -> None:
    module, _, function = app_factory(name).partition(":")
    factory = getattr(importlib.import_module(module), function)
    settings = {
        "db_url": f"sqlite:///{tmp_path / 'erp.sqlite3'}",
        "admin_token": "adm",
        "capacity": False,
    }
    with TestClient(factory(settings)) as client:
        health = client.get("/admin/health", headers={"Authorization": "Bearer adm"}).json()
        seeded = client.post(
            "/admin/erp/catalog", json={"items": []}, headers={"Authorization": "Bearer adm"}
        )
    assert (health["status"], health["mock"]) == ("ok", "erp")
    assert seeded.status_code == 200


def test_the_registry_imports_no_web_stack() -> None:
    code = (
        "import json, sys; import mocks.erp.dialects; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(json.loads(out.stdout)).isdisjoint({"fastapi", "sqlalchemy", "starlette", "pyarrow"})

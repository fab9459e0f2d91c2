"""Tryton's own virtualenv: created on demand beside the cache, quick when present."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from erps.tryton import TrytonDatabase
from erps.tryton.env import ensure_env
from erps.tryton.resources import MODULE_NAME, module_hash


def test_ensure_env_is_quick_when_present(tryton_db: TrytonDatabase) -> None:
    started = time.monotonic()
    env = ensure_env()
    assert time.monotonic() - started < 2.0
    assert env.trytond.exists()
    assert env.trytond_admin.exists()
    (marker,) = env.root.glob(f"lib/python*/site-packages/trytond/modules/{MODULE_NAME}/.hash")
    assert marker.read_text() == module_hash()


def test_the_installed_module_is_the_package_data(tryton_db: TrytonDatabase) -> None:
    env = ensure_env()
    (installed,) = env.root.glob(f"lib/python*/site-packages/trytond/modules/{MODULE_NAME}")
    names = sorted(
        p.relative_to(installed).as_posix()
        for p in installed.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )

    assert names == [".hash", "__init__.py", "sale.py", "stock.py", "tryton.cfg"]
    assert "sale_point" in (installed / "tryton.cfg").read_text()


@pytest.mark.slow
def test_ensure_env_creates_a_fresh_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILLBENCH_TRYTON_VENV", str(tmp_path / "venv"))
    said: list[str] = []
    env = ensure_env(progress=said.append)
    assert env.root == tmp_path / "venv"
    assert env.trytond.exists()
    assert any("creating the Tryton environment" in line for line in said)
    said.clear()
    ensure_env(progress=said.append)
    assert said == []

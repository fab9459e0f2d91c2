"""The public surface of the mock packages: every package says what it exports in
`__all__`, every exported name exists, and the mocks import no other room."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

import mocks


def _packages() -> list[str]:
    found = ["mocks"]
    for info in pkgutil.walk_packages(mocks.__path__, prefix="mocks."):
        if info.ispkg:
            found.append(info.name)
    return sorted(found)


PACKAGES = _packages()


def test_the_walk_finds_every_layer() -> None:
    for expected in (
        "mocks.core",
        "mocks.faults",
        "mocks.erp",
        "mocks.erp.engine",
        "mocks.erp.bc",
        "mocks.erp.bc.routes",
        "mocks.pos",
        "mocks.pos.engine",
        "mocks.pos.engine.background",
        "mocks.pos.engine.driver",
        "mocks.pos.engine.ingest",
        "mocks.pos.square",
        "mocks.pos.square.routes",
        "mocks.pos.square.schemas",
    ):
        assert expected in PACKAGES


@pytest.mark.parametrize("module", PACKAGES)
def test_all_names_are_exported(module: str) -> None:
    package = importlib.import_module(module)
    exported = package.__dict__.get("__all__")
    assert isinstance(exported, list), f"{module}/__init__.py has no __all__ list"
    assert all(isinstance(name, str) for name in exported)
    assert len(set(exported)) == len(exported)
    missing = [name for name in exported if not hasattr(package, name)]
    assert missing == []


def test_mocks_import_no_other_room() -> None:
    code = (
        "import json, sys; import mocks.core, mocks.faults, mocks.erp.bc, mocks.pos.square, "
        "benchmarks.mock_servers; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert loaded.isdisjoint({"simulator", "connectors", "reports", "scenarios", "tillbench"})

"""The public surface of the mock packages, and the dependency rule."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["mocks.core", "mocks.faults", "mocks.erp", "mocks.erp.engine"])
def test_all_names_are_exported(module: str) -> None:
    package = importlib.import_module(module)
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert missing == []


def test_mocks_import_no_other_room() -> None:
    code = (
        "import json, sys; import mocks.core, mocks.faults, mocks.erp, benchmarks.mock_servers; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert loaded.isdisjoint({"simulator", "connectors", "reports", "scenarios", "tillbench"})

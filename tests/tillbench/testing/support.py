"""Helpers for the plugin's tests: where the example lives, and copying it with the planted
broken connector in place of its own (a ``conftest.py`` overriding ``connector_command``)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "simple_connector"
BROKEN = Path(__file__).with_name("broken_connector.py")

BROKEN_CONFTEST = """\
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture
def connector_command():
    return [sys.executable, str(HERE / "broken_connector.py"), str(HERE.parent / "connector.py")]
"""


def copy_example(target: Path, *, broken: bool = False) -> Path:
    """The example's files under ``target/simple_connector``; with ``broken``, its tests
    also in ``broken/``, run against the planted broken connector. Returns the test folder."""
    folder = target / "simple_connector"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    if not broken:
        return folder
    planted = folder / "broken"
    planted.mkdir()
    for name in ("test_connector.py", "lunch-rush.yaml"):
        shutil.copy2(folder / name, planted / name)
    shutil.copy2(BROKEN, planted / "broken_connector.py")
    (planted / "conftest.py").write_text(BROKEN_CONFTEST)
    return planted

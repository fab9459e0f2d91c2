"""The connector under test: the one line to change for your own."""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture
def connector_command() -> list[str]:
    return [sys.executable, str(HERE / "connector.py")]

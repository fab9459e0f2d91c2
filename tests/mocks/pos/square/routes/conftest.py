"""Fixtures of the Square route tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mocks.pos.square import create_app
from tests.mocks.pos.support import API, make_settings


@pytest.fixture
def slow_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client whose payments and refunds settle 30 s after they are made."""
    settings = make_settings(tmp_path, payment_settle_seconds=30, refund_settle_seconds=30)
    with TestClient(create_app(settings), headers=API) as client:
        yield client

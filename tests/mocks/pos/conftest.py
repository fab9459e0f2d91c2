"""Fixtures of the mock POS tests: an app on a temporary SQLite file and its clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mocks.pos.square import SquareSettings, create_app
from tests.mocks.pos.support import API, make_settings


@pytest.fixture
def settings(tmp_path: Path) -> SquareSettings:
    return make_settings(tmp_path)


@pytest.fixture
def client(settings: SquareSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        test_client.headers.update(API)
        yield test_client

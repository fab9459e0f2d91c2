"""Fixtures of the ERP tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.mocks.erp.support import seeded_client


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[TestClient]:
    with seeded_client(tmp_path) as client:
        yield client

"""The demo scenario's mocks, seeded, shared by the Locust files' tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.loadtests.support import mocks


@pytest.fixture(scope="package")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with mocks(tmp_path_factory.mktemp("mocks")) as (found, _scenario):
        yield found

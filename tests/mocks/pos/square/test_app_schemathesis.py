"""Property-based fuzzing of the POS's own OpenAPI document: no input gives a 5xx.

The default run skips schemathesis' coverage phase and draws a few examples per operation;
the slow run (`make test-all`) adds the coverage phase (boundary values of every field) and
more examples.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from mocks.pos.square import create_app
from tests.mocks.pos.support import ADMIN, API, make_settings

_DIR = Path(tempfile.mkdtemp(prefix="pos-fuzz-"))
APP = create_app(make_settings(_DIR, max_body_bytes=200_000))
quick = schemathesis.openapi.from_asgi(
    "/openapi.json",
    APP,
    config=SchemathesisConfig.from_str("[phases.coverage]\nenabled = false\n"),
)
thorough = schemathesis.openapi.from_asgi("/openapi.json", APP)


def _call(case: Any) -> None:
    headers = ADMIN if case.path.startswith(("/driver", "/admin")) else API
    case.call_and_validate(headers=headers, checks=[not_a_server_error])


@quick.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_makes_a_server_error(case: Any) -> None:
    _call(case)


@pytest.mark.slow
@thorough.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_makes_a_server_error_thorough(case: Any) -> None:
    _call(case)

"""Settings of the Business Central dialect: the engine's ``ErpSettings`` plus the company
this mock serves and the server page size.

``get_settings()`` reads ``TILLBENCH_MOCK_SETTINGS`` once (what ``mocks.core.serve`` hands
each worker); tests pass their own settings to ``create_app``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field

from mocks.core import load_settings
from mocks.core.serve import SETTINGS_ENV
from mocks.erp.engine import ErpSettings


class BcSettings(ErpSettings):
    """Everything the Business Central mock can be told; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")

    company_id: UUID = UUID("5d115c9c-44e3-ea11-bb43-000d3a2feca1")
    """The one company served (``GET /api/v2.0/companies``)."""
    company_name: str = "CRONUS USA, Inc."
    page_size: int = Field(default=20_000, ge=1, le=100_000)
    """Server page size (Business Central: up to 20,000)."""


def parse_settings(data: BcSettings | Mapping[str, Any] | None) -> BcSettings:
    """Validate a plain dict (e.g. the scenario's ``erp`` section plus run options)."""
    return load_settings(BcSettings, data or {}, where="erp")


@lru_cache(maxsize=1)
def get_settings() -> BcSettings:
    """Settings from ``TILLBENCH_MOCK_SETTINGS`` (JSON), cached; tests pass their own."""
    return parse_settings(json.loads(os.environ.get(SETTINGS_ENV) or "{}"))

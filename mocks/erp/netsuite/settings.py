"""Settings of the NetSuite dialect: the engine's ``ErpSettings`` plus the account, its
token-based-authentication credentials, the concurrency governance of the account (service
tier + SuiteCloud Plus licences, slots held by other integrations), SuiteQL paging and the
async job queue.

NetSuite has no drafts (a cash sale posts when it is saved) and keeps ``externalId`` unique
per record type, so ``posting`` and ``duplicates`` are fixed; its concurrency governance
refuses the request over the limit at once, so there is no queue by default.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mocks.core import load_settings
from mocks.core.serve import SETTINGS_ENV
from mocks.erp.engine import ErpSettings, WindowSettings

TIER_LIMITS = {"shared": 5, "tier1": 15, "tier2": 25, "tier3": 35, "tier4": 45, "tier5": 55}
"""Account concurrency limit per service tier, before SuiteCloud Plus licences (+10 each);
Oracle's "Concurrency Governance Limits Based on Service Tiers and SuiteCloud Plus
Licenses"."""


class TbaCredential(BaseModel):
    """One integration record's consumer key/secret and one access token of a user."""

    model_config = ConfigDict(extra="forbid")

    consumer_key: str = Field(min_length=1, max_length=200)
    consumer_secret: str = Field(min_length=1, max_length=200)
    token_id: str = Field(min_length=1, max_length=200)
    token_secret: str = Field(min_length=1, max_length=200)
    principal: str = "default"
    """The user the token stands for (journal credential)."""


DEFAULT_CREDENTIAL = TbaCredential(
    consumer_key="tillbench-consumer-key",
    consumer_secret="tillbench-consumer-secret",
    token_id="tillbench-token-id",
    token_secret="tillbench-token-secret",
)


class NetSuiteSettings(ErpSettings):
    """Everything the NetSuite mock can be told; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(default="1234567", min_length=1, max_length=40)
    """The account (the OAuth 1.0a ``realm``), e.g. ``1234567`` or ``1234567_SB1``."""
    tba: list[TbaCredential] = Field(default_factory=lambda: [DEFAULT_CREDENTIAL])
    """Token-based authentication credentials accepted (OAuth 1.0a, HMAC-SHA256)."""
    oauth2: bool = True
    """Also accept OAuth 2.0 bearer access tokens (the core's ``api_tokens``)."""
    timestamp_window: float = Field(default=300.0, gt=0.0)
    """Seconds an ``oauth_timestamp`` may be off the server clock."""
    service_tier: Literal["shared", "tier1", "tier2", "tier3", "tier4", "tier5"] | None = None
    """When set, the account concurrency limit is the tier's (5 shared, 15 tier 1, +10 per
    tier) plus 10 per SuiteCloud Plus licence, and overrides ``concurrency``."""
    suitecloud_plus: int = Field(default=0, ge=0, le=100)
    other_integrations: int = Field(default=0, ge=0)
    """Concurrency slots held all the time by other integrations of the account (the pool
    is shared by every integration); the limit left to this one is the difference."""
    queue: int = Field(default=0, ge=0)
    """NetSuite refuses the request over the limit at once: no queue."""
    window: WindowSettings = Field(
        default_factory=lambda: WindowSettings(requests=1_000_000_000, per="24h")
    )
    """Request-frequency limit (off by default; NetSuite's depends on the licence)."""
    posting: Literal["on_create"] = "on_create"
    """A cash sale or credit memo posts when it is saved (NetSuite has no drafts)."""
    duplicates: Literal["reject"] = "reject"
    """``externalId`` is unique per record type."""
    suiteql_max_results: int = Field(default=100_000, ge=1)
    """SuiteQL returns at most this many results of one query (offset + limit)."""
    async_delay: float = Field(default=0.2, ge=0.0)
    """Seconds an asynchronous job waits in the queue before it runs."""

    @model_validator(mode="after")
    def _governance(self) -> NetSuiteSettings:
        if self.service_tier is not None:
            self.concurrency = TIER_LIMITS[self.service_tier] + 10 * self.suitecloud_plus
        if self.other_integrations >= self.concurrency:
            raise ValueError(
                f"other_integrations ({self.other_integrations}) must be below the account "
                f"concurrency limit ({self.concurrency})"
            )
        return self

    @property
    def account_limit(self) -> int:
        """The account's concurrency limit (the pool of every integration)."""
        return self.concurrency

    @property
    def available(self) -> int:
        """Concurrency slots this integration can use."""
        return self.concurrency - self.other_integrations


def parse_settings(data: NetSuiteSettings | Mapping[str, Any] | None) -> NetSuiteSettings:
    """Validate a plain dict (e.g. the scenario's ``erp`` section plus run options)."""
    return load_settings(NetSuiteSettings, data or {}, where="erp")


@lru_cache(maxsize=1)
def get_settings() -> NetSuiteSettings:
    """Settings from ``TILLBENCH_MOCK_SETTINGS`` (JSON), cached; tests pass their own."""
    return parse_settings(json.loads(os.environ.get(SETTINGS_ENV) or "{}"))

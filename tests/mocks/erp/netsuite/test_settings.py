"""`NetSuiteSettings`: the account's concurrency limit from the service tier and SuiteCloud
Plus licences, the share other integrations hold, and what NetSuite does not have."""

from __future__ import annotations

import pytest

from mocks.core import ConfigError
from mocks.erp.netsuite import parse_settings


@pytest.mark.parametrize(
    ("tier", "licences", "limit"),
    [("shared", 0, 5), ("shared", 1, 15), ("tier1", 5, 65), ("tier2", 0, 25)],
)
def test_the_limit_is_the_tier_plus_ten_per_licence(tier: str, licences: int, limit: int) -> None:
    settings = parse_settings({"service_tier": tier, "suitecloud_plus": licences})
    assert (settings.account_limit, settings.available, settings.queue) == (limit, limit, 0)


def test_other_integrations_hold_part_of_the_pool() -> None:
    settings = parse_settings({"concurrency": 15, "other_integrations": 10})
    assert (settings.account_limit, settings.available) == (15, 5)
    with pytest.raises(ConfigError, match="other_integrations"):
        parse_settings({"concurrency": 5, "other_integrations": 5})


@pytest.mark.parametrize(("key", "value"), [("posting", "draft"), ("duplicates", "accept")])
def test_drafts_and_duplicate_external_ids_are_not_netsuite(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        parse_settings({key: value})

"""Credentials never reach what the mocks print, log or return: URLs, query strings, text."""

from __future__ import annotations

import pytest

from mocks.core import redact, redact_query, redact_url
from mocks.core.redact import url_secrets


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://till:s3cret@db:5432/bench", "postgresql://till:***@db:5432/bench"),
        ("postgresql+psycopg://u:p%40ss@h/d", "postgresql+psycopg://u:***@h/d"),
        ("postgresql://u:we@rd@h/d", "postgresql://u:***@h/d"),
        ("postgresql://u@h/d", "postgresql://u@h/d"),
        ("sqlite:///runs/x/erp.sqlite3", "sqlite:///runs/x/erp.sqlite3"),
        ("http://host:8080/a@b", "http://host:8080/a@b"),
        ("postgresql://h/d?user=u&password=pw", "postgresql://h/d?user=u&password=***"),
        ("mysql://u:pw@[::1", "mysql://u:***@[::1"),
    ],
)
def test_urls_show_no_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_query_strings_mask_credential_parameters_only() -> None:
    query = "since_id=5&access_token=abc&idempotency_key=k&Password=x&cursor=c&sig="
    assert redact_query(query) == (
        "since_id=5&access_token=***&idempotency_key=k&Password=***&cursor=c&sig="
    )


def test_text_masks_every_known_secret_and_any_url_password() -> None:
    text = "token tok-secret-1 sent; admin adm-secret; db postgresql://u:pw9@h/d failed"
    masked = redact(text, ["tok-secret-1", "adm-secret", "tok"])
    assert masked == "token *** sent; admin ***; db postgresql://u:***@h/d failed"


def test_a_secret_that_contains_another_is_masked_whole() -> None:
    assert redact("key abcdef-long", ["abcd", "abcdef-long"]) == "key ***"


def test_the_secrets_of_a_url_are_its_password() -> None:
    assert url_secrets("postgresql://u:pw9x@h/d") == ["pw9x"]
    assert url_secrets("sqlite:///x.db") == []

"""Settings every mock shares: tokens must be usable bearer tokens, and a configuration
error never shows a token or a database password."""

from __future__ import annotations

import pytest

from mocks.core import ConfigError, CoreSettings, Database, load_settings


@pytest.mark.parametrize("token", ["tést", "two words", "", "x" * 5000])
def test_a_token_that_no_header_could_carry_is_refused_without_showing_it(token: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(CoreSettings, {"api_tokens": {token: "qa"}})
    assert refused.value.field == "api_tokens"
    assert refused.value.value == "***"
    assert "bearer token is 1 to 4096 characters" in str(refused.value)
    if token:
        assert token not in str(refused.value)


def test_a_bad_admin_token_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(CoreSettings, {"admin_token": "s3cret adm"})
    assert str(refused.value).startswith("admin_token: a bearer token is 1 to 4096 characters")
    assert "s3cret" not in str(refused.value)


def test_a_bad_database_url_is_refused_without_its_password() -> None:
    with pytest.raises(ConfigError) as refused:
        Database("mysql://till:hunter22@127.0.0.1/bench")
    assert str(refused.value) == (
        "db_url: must be a sqlite:/// or postgresql:// URL, got 'mysql://till:***@127.0.0.1/bench'"
    )


def test_a_database_url_of_the_wrong_type_is_refused_without_its_password() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(CoreSettings, {"db_url": ["postgresql://u:hunter22@h/d"]})
    assert refused.value.field == "db_url"
    assert "hunter22" not in str(refused.value)


def test_other_fields_show_their_value() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(CoreSettings, {"max_body_bytes": 10})
    assert str(refused.value) == (
        "max_body_bytes: input should be greater than or equal to 1024, got 10"
    )

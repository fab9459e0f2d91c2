"""Targets and credentials of the Locust files, read from the environment."""

from __future__ import annotations

import base64

import pytest

from tests.loadtests.support import module

LoadSettings = module("load_env").LoadSettings


def test_defaults_point_at_tillbench_mock_on_loopback() -> None:
    settings = LoadSettings.from_env({})
    assert (settings.pos_url, settings.erp_url) == (
        "http://127.0.0.1:8101",
        "http://127.0.0.1:8102",
    )
    assert settings.erp_authorization() == "Bearer tillbench-token"


def test_real_endpoints_and_their_tokens_come_from_the_environment() -> None:
    settings = LoadSettings.from_env(
        {
            "TILLBENCH_POS_URL": "https://connect.squareupsandbox.com/",
            "TILLBENCH_ERP_URL": "https://api.businesscentral.dynamics.com/v2.0/t1/Production",
            "TILLBENCH_POS_TOKEN": "sq-sandbox",
            "TILLBENCH_ERP_TOKEN": "entra-access-token",
            "TILLBENCH_ERP_COMPANY": "c-1",
        }
    )
    assert settings.pos_url == "https://connect.squareupsandbox.com"
    assert settings.pos_token == "sq-sandbox"
    assert settings.erp_company == "c-1"
    assert settings.erp_authorization() == "Bearer entra-access-token"


def test_erp_basic_auth_with_user_and_web_service_key() -> None:
    settings = LoadSettings.from_env(
        {"TILLBENCH_ERP_USER": "LOADTEST", "TILLBENCH_ERP_PASSWORD": "k3y:with:colons"}
    )
    scheme, encoded = settings.erp_authorization().split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == "LOADTEST:k3y:with:colons"


def test_erp_user_without_password_names_the_missing_variable() -> None:
    settings = LoadSettings.from_env({"TILLBENCH_ERP_USER": "LOADTEST"})
    with pytest.raises(ValueError, match="TILLBENCH_ERP_PASSWORD is not"):
        settings.erp_authorization()

"""The contract's environment: every variable checked, errors name it and say how to fix;
``TILLBENCH_POS_KIND`` and ``TILLBENCH_ERP_KIND`` name the adapters (Square and Business
Central unless told otherwise)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.core.config import REQUIRED, ContractEnv, Integration
from connectors.core.errors import ConfigError


def environ(tmp_path: Path, **changes: str) -> dict[str, str]:
    base = {
        "TILLBENCH_RUN_ID": "run-1",
        "TILLBENCH_POS_URL": "http://127.0.0.1:8101/",
        "TILLBENCH_POS_TOKEN": "p",
        "TILLBENCH_ERP_URL": "http://127.0.0.1:8102/api/v2.0",
        "TILLBENCH_ERP_COMPANY": "c",
        "TILLBENCH_ERP_TOKEN": "e",
        "TILLBENCH_WEBHOOK_SECRET": "s",
        "TILLBENCH_WEBHOOK_URL": "http://127.0.0.1:8103/webhooks/square",
        "TILLBENCH_LISTEN": "127.0.0.1:8103",
        "TILLBENCH_STATE_DIR": str(tmp_path / "state"),
        "TILLBENCH_LOG_DIR": str(tmp_path / "logs"),
    }
    base.update(changes)
    return base


def test_full_environment_is_read(tmp_path: Path) -> None:
    env = ContractEnv.from_environ(environ(tmp_path))
    assert env.pos_url == "http://127.0.0.1:8101"
    assert (env.host, env.port) == ("127.0.0.1", 8103)
    assert env.webhook_path == "/webhooks/square"
    assert env.integration == Integration()


@pytest.mark.parametrize("name", REQUIRED)
def test_missing_variable_is_named(tmp_path: Path, name: str) -> None:
    values = environ(tmp_path)
    del values[name]
    with pytest.raises(ConfigError, match=f"^{name}: is required by the connector contract"):
        ContractEnv.from_environ(values)


def test_bad_listen_address(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"TILLBENCH_LISTEN: must be HOST:PORT.*got '8103'"):
        ContractEnv.from_environ(environ(tmp_path, TILLBENCH_LISTEN="8103"))


def test_settings_in_wall_seconds_and_duration_strings() -> None:
    settings = Integration.parse(
        json.dumps(
            {
                "mode": "batch",
                "interval": "15s",
                "max_batch": 50,
                "retry": {"attempts": 3, "base": 0.0167, "cap": "5s", "jitter": "full"},
                "catalog_poll": 2,
                "drain_at": 0,
                "speed": 60,
            }
        )
    )
    assert settings.mode == "batch"
    assert settings.interval == 15.0
    assert settings.max_batch == 50
    assert settings.retry.attempts == 3
    assert settings.retry.cap == 5.0
    assert settings.catalog_poll == 2.0
    assert settings.drain_at == 0
    assert Integration.parse("{}").drain_at == 8


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[1]", "TILLBENCH_SETTINGS: must be a JSON object"),
        ('{"mode": "fast"}', "TILLBENCH_SETTINGS.mode: must be realtime, batch or hybrid"),
        ('{"interval": "soon"}', "TILLBENCH_SETTINGS.interval: must be a duration"),
        ('{"retry": {"attempts": 0}}', "TILLBENCH_SETTINGS.retry.attempts: must be a whole"),
        ('{"drain_at": -1}', "TILLBENCH_SETTINGS.drain_at: must be a whole number >= 0, got -1"),
        ('{"drain_at": "8"}', "TILLBENCH_SETTINGS.drain_at: must be a whole number >= 0"),
    ],
)
def test_bad_settings_are_named(raw: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        Integration.parse(raw)


def test_square_and_business_central_are_the_default(tmp_path: Path) -> None:
    env = ContractEnv.from_environ(environ(tmp_path))
    assert (env.pos_kind, env.erp_kind) == ("square", "bc")


def test_tryton_kind_is_read(tmp_path: Path) -> None:
    env = ContractEnv.from_environ(
        environ(
            tmp_path,
            TILLBENCH_ERP_KIND="Tryton",
            TILLBENCH_ERP_URL="http://127.0.0.1:8000/tillbench/",
        )
    )
    assert env.erp_kind == "tryton"
    assert env.erp_url == "http://127.0.0.1:8000/tillbench"


def test_unknown_erp_kind_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, TILLBENCH_ERP_KIND="odoo"))
    assert str(caught.value) == "TILLBENCH_ERP_KIND: must be bc, netsuite or tryton, got 'odoo'"


def test_the_old_business_central_name_is_gone(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, TILLBENCH_ERP_KIND="business-central"))
    assert str(caught.value) == (
        "TILLBENCH_ERP_KIND: must be bc, netsuite or tryton, got 'business-central'"
    )


def test_unknown_pos_kind_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, TILLBENCH_POS_KIND="clover"))
    assert str(caught.value) == "TILLBENCH_POS_KIND: must be shopify or square, got 'clover'"

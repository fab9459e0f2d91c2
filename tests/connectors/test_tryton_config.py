"""``TILLBENCH_ERP_KIND``: Business Central unless told otherwise; Tryton needs a login, gets
no ERP → POS sync and no hybrid mode."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_conn_config import environ

from connectors.common import runtime
from connectors.common.catalog_sync import CatalogSync
from connectors.common.config import ContractEnv
from connectors.common.errors import ConfigError
from connectors.common.planted import PlantedBugs

TRYTON = {
    "TILLBENCH_ERP_KIND": "tryton",
    "TILLBENCH_ERP_URL": "http://127.0.0.1:8000/tillbench/",
    "TILLBENCH_ERP_TOKEN": "admin:s3cret:with-colon",
}


def test_business_central_is_the_default(tmp_path: Path) -> None:
    assert ContractEnv.from_environ(environ(tmp_path)).erp_kind == "business-central"


def test_tryton_kind_reads_the_login(tmp_path: Path) -> None:
    env = ContractEnv.from_environ(environ(tmp_path, **TRYTON))
    assert env.erp_kind == "tryton"
    assert env.erp_login == ("admin", "s3cret:with-colon")
    assert env.erp_url == "http://127.0.0.1:8000/tillbench"


def test_unknown_kind_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, TILLBENCH_ERP_KIND="odoo"))
    assert str(caught.value) == (
        "TILLBENCH_ERP_KIND: must be business-central or tryton, got 'odoo'"
    )


@pytest.mark.parametrize("token", ["admin", ":password", "admin:"])
def test_tryton_token_must_be_user_colon_password(tmp_path: Path, token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ContractEnv.from_environ(environ(tmp_path, **{**TRYTON, "TILLBENCH_ERP_TOKEN": token}))
    assert str(caught.value) == (
        "TILLBENCH_ERP_TOKEN: must be USER:PASSWORD of the Tryton login, got '<hidden>'"
    )


@pytest.fixture
def connector_logging() -> Iterator[None]:
    """`runtime.build` points the connector's loggers at files; put them back afterwards."""
    names = ("connector", "uvicorn", "uvicorn.error")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate) for n in names}
    yield
    for name, (handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        for handler in logger.handlers:
            if handler not in handlers:
                handler.close()
        logger.handlers = handlers
        logger.propagate = propagate


@pytest.mark.usefixtures("connector_logging")
def test_tryton_connector_skips_the_erp_to_pos_sync(tmp_path: Path) -> None:
    parts, _app = runtime.build("batch", environ=environ(tmp_path, **TRYTON), bugs=PlantedBugs())
    assert parts.backend.kind == "tryton"
    assert parts.erp is None
    assert not any(isinstance(t, CatalogSync) for t in parts.threads)
    log = (tmp_path / "logs" / "connector.log").read_text()
    assert "ERP -> POS sync (items, prices, customers, deliveries) skipped" in log
    assert {"erp_calls", "erp_status_503", "erp_retries"} <= set(runtime._metrics(parts))
    parts.backend.close()


@pytest.mark.usefixtures("connector_logging")
def test_business_central_connector_keeps_the_sync_and_reports_erp_counters(
    tmp_path: Path,
) -> None:
    parts, _app = runtime.build("batch", environ=environ(tmp_path), bugs=PlantedBugs())
    assert parts.backend.kind == "business-central"
    assert any(isinstance(t, CatalogSync) for t in parts.threads)
    metrics = runtime._metrics(parts)
    assert (metrics["erp_calls"], metrics["erp_status_503"], metrics["erp_retries"]) == (0, 0, 0)
    parts.backend.close()


@pytest.mark.usefixtures("connector_logging")
def test_hybrid_mode_is_refused_against_tryton(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        runtime.build("hybrid", environ=environ(tmp_path, **TRYTON), bugs=PlantedBugs())
    assert str(caught.value).startswith(
        "TILLBENCH_ERP_KIND: the hybrid mode needs Business Central (documents and the journal "
        "lines that reverse real-time stock commit in one $batch); use realtime or batch, "
        "got 'tryton'"
    )

"""Assembling a connector: the environment names the adapters and the mode adds its
workers; a connector without the contract's environment, or with a mode its ERP cannot
serve, refuses to start and says why (exit status 2); Tryton gets no ERP → POS sync."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from connectors.core import runtime
from connectors.core.catalog_sync import CatalogSync
from connectors.core.documents import DocumentLine, ErpDocument, Payment, PosDocument
from connectors.core.errors import ConfigError, ConnectorError
from connectors.core.intake import Mapper
from connectors.core.seams import Seams
from connectors.erp import ErpAdapter
from connectors.erp.bc.adapter import BcAdapter
from connectors.erp.tryton.adapter import TrytonAdapter
from connectors.pos import PosAdapter
from connectors.pos.square.adapter import SquareAdapter
from tests.connectors.core.test_config import environ

TRYTON = {
    "TILLBENCH_ERP_KIND": "tryton",
    "TILLBENCH_ERP_URL": "http://127.0.0.1:8000/tillbench/",
    "TILLBENCH_ERP_TOKEN": "admin:s3cret:with-colon",
}


def test_missing_environment_exits_2_and_names_the_variable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLBENCH_")}
    done = subprocess.run(
        [sys.executable, "-m", "connectors.realtime"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "TILLBENCH_RUN_ID: is required by the connector contract" in done.stdout


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
    connector = runtime.build("batch", environ=environ(tmp_path, **TRYTON))
    assert isinstance(connector.erp, TrytonAdapter)
    assert connector.erp.name == "tryton"
    assert not any(isinstance(t, CatalogSync) for t in connector.threads)
    log = (tmp_path / "logs" / "connector.log").read_text()
    assert "ERP -> POS sync (items, prices, customers, deliveries) skipped" in log
    assert {"erp_calls", "erp_status_503", "erp_retries"} <= set(connector.report())
    connector.erp.close()


@pytest.mark.usefixtures("connector_logging")
def test_business_central_connector_keeps_the_sync_and_reports_erp_counters(
    tmp_path: Path,
) -> None:
    connector = runtime.build("batch", environ=environ(tmp_path))
    assert isinstance(connector.erp, BcAdapter)
    assert isinstance(connector.pos, SquareAdapter)
    assert any(isinstance(t, CatalogSync) for t in connector.threads)
    metrics = connector.report()
    assert (metrics["erp_calls"], metrics["erp_status_503"], metrics["erp_retries"]) == (0, 0, 0)
    connector.erp.close()


@pytest.mark.usefixtures("connector_logging")
def test_hybrid_mode_is_refused_against_tryton(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        runtime.build("hybrid", environ=environ(tmp_path, **TRYTON))
    assert str(caught.value).startswith(
        "TILLBENCH_ERP_KIND: the hybrid mode needs Business Central (documents and the journal "
        "lines that reverse real-time stock commit in one $batch); use realtime or batch, "
        "got 'tryton'"
    )


class Recording(Seams):
    """Wraps nothing, but notes what it was given and in which order."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def erp(self, erp: ErpAdapter) -> ErpAdapter:
        self.seen.append(f"erp:{erp.name}")
        return erp

    def pos(self, pos: PosAdapter, *, erp: ErpAdapter) -> PosAdapter:
        self.seen.append(f"pos:{pos.name}:{erp.name}")
        return pos

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        self.seen.append(f"mapper:{erp.name}")

        def counted(document: PosDocument) -> ErpDocument | None:
            self.seen.append(f"mapped:{document.reference}")
            return mapper(document)

        return counted


SALE = PosDocument(
    order_id="o-1",
    reference="T-1",
    store_id="S0001",
    currency="USD",
    is_return=False,
    day="2026-11-23",
    lines=(DocumentLine("SKU-A", "Apples", Decimal(2), 150, 0, 0),),
    payments=(Payment("cash", 300),),
    total=300,
    note="card 4111 1111 1111 1111",
)


@pytest.mark.usefixtures("connector_logging")
def test_seams_get_each_part_in_order_and_the_connector_uses_what_they_return(
    tmp_path: Path,
) -> None:
    seams = Recording()
    connector = runtime.build("realtime", environ=environ(tmp_path), seams=seams)
    assert seams.seen == ["erp:bc", "pos:square:bc", "mapper:bc"]
    document = connector.mapper(SALE)
    assert seams.seen[-1] == "mapped:T-1"
    assert document is not None
    assert (document.key, document.store_id) == ("invoice:T-1", "S0001")
    (line,) = document.body["salesInvoiceLines"]
    assert line["description"] == "Apples | card [card removed]"
    connector.erp.close()


@pytest.mark.usefixtures("connector_logging")
def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError) as caught:
        runtime.build("nightly", environ=environ(tmp_path))
    assert str(caught.value) == "mode: must be realtime, batch or hybrid, got 'nightly'"

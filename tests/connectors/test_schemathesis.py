"""Property-based fuzzing of the reference connector's HTTP surface (``GET /health``,
``GET /metrics``, the webhook ``POST``): schemathesis draws requests from the OpenAPI
document `connectors.core.server.openapi` and sends them to ``python -m
connectors.realtime`` running on loopback. No request may get a 5xx, and every answer must
be one the document declares, in the shape it declares.

The connector's POS and ERP are closed ports: its workers retry in the background while the
HTTP face is fuzzed. The default run draws a few examples per operation without the
coverage phase; the slow run (`make test-all`) adds the coverage phase and more examples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from connectors.core.server import openapi
from connectors.pos.square.signature import HEADER
from mocks.core.process import free_port
from mocks.pos.square.signing import sign

PATH = "/webhooks/square"
DOCUMENT = openapi(PATH, signature_header=HEADER)
quick = schemathesis.openapi.from_dict(
    DOCUMENT, config=SchemathesisConfig.from_str("[phases.coverage]\nenabled = false\n")
)
thorough = schemathesis.openapi.from_dict(DOCUMENT)
LATIN_1 = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
"""What a header value may carry on the wire: any byte but controls (schemathesis itself
draws ASCII only)."""


def _any_signature(_ctx: Any, headers: dict[str, str] | None) -> st.SearchStrategy[Any]:
    signatures = st.text(LATIN_1, max_size=120).map(str.lstrip)  # requests refuses a leading space
    drawn = signatures.map(lambda value: {**(headers or {}), HEADER: value})
    return st.one_of(st.just(headers), drawn)


for _schema in (quick, thorough):
    _schema.hook("flatmap_headers")(_any_signature)
ANY_HEALTH = list(HealthCheck)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def connector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m connectors.realtime`` on a free loopback port; yields its base URL."""
    tmp = tmp_path_factory.mktemp("connector")
    port, closed = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TILLBENCH_")},
        "TILLBENCH_RUN_ID": "fuzz",
        "TILLBENCH_POS_URL": f"http://127.0.0.1:{closed}",
        "TILLBENCH_POS_TOKEN": "pos-token",
        "TILLBENCH_ERP_URL": f"http://127.0.0.1:{closed}/api/v2.0",
        "TILLBENCH_ERP_COMPANY": "c",
        "TILLBENCH_ERP_TOKEN": "erp-token",
        "TILLBENCH_WEBHOOK_SECRET": "signature-key",
        "TILLBENCH_WEBHOOK_URL": f"http://127.0.0.1:{port}{PATH}",
        "TILLBENCH_LISTEN": f"127.0.0.1:{port}",
        "TILLBENCH_STATE_DIR": str(tmp / "state"),
        "TILLBENCH_LOG_DIR": str(tmp / "logs"),
        "TILLBENCH_SETTINGS": json.dumps({"interval": 60, "retry": {"base": 1, "cap": 5}}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "connectors.realtime"],
        env=env,
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"the connector exited with {process.returncode}"
            assert time.monotonic() < deadline, "the connector never became healthy"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def _call(case: Any, url: str) -> None:
    case.call_and_validate(base_url=url, checks=CHECKS)


@quick.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=ANY_HEALTH, derandomize=True)
def test_no_request_makes_a_server_error(case: Any, connector: str) -> None:
    _call(case, connector)


@pytest.mark.slow
@thorough.parametrize()
@settings(max_examples=200, deadline=None, suppress_health_check=ANY_HEALTH, derandomize=True)
def test_no_request_makes_a_server_error_thorough(case: Any, connector: str) -> None:
    _call(case, connector)


def test_the_document_names_the_contract_endpoints() -> None:
    assert set(DOCUMENT["paths"]) == {"/health", "/metrics", PATH}
    responses = DOCUMENT["paths"][PATH]["post"]["responses"]
    assert set(responses) == {"200", "400", "401", "413"}


def test_a_real_delivery_is_stored(connector: str) -> None:
    body = json.dumps({"event_id": "e-1", "type": "order.updated", "data": {"id": "o"}}).encode()
    signature = sign("signature-key", f"{connector}{PATH}", body)
    answer = httpx.post(f"{connector}{PATH}", content=body, headers={HEADER: signature})
    assert answer.status_code == 200
    assert answer.json() in ({"stored": True}, {"stored": False})

"""Property-based fuzzing of the ERP API from its own OpenAPI document: no 5xx, ever."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from mocks.erp.bc import create_app
from mocks.erp.engine import load_catalog
from tests.mocks.erp.support import API, CATALOG, settings

_DIR = Path(tempfile.mkdtemp(prefix="tillbench-erp-fuzz-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)
_APP = create_app(settings(_DIR, page_size=50))
load_catalog(
    _APP.state.mock.db,
    items=CATALOG["items"],
    locations=CATALOG["locations"],
    stock_levels=CATALOG["stock"],
)

schema = schemathesis.openapi.from_asgi("/openapi.json", _APP).exclude(path_regex="^/admin")


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_erp_answers_every_generated_request_without_server_error(
    case: schemathesis.Case,
) -> None:
    response = case.call(headers=API)
    case.validate_response(response, checks=[not_a_server_error])

"""Infrastructure shared by the mocks: persistence, request journal, admin API, the
never-500 error policy, body-size limit, token auth and the uvicorn runner.

Public API (mocks/README.md shows how a dialect uses it)::

    create_mock_app(*, target, settings, metadata, render_error, title, ...) -> MockApp
    CoreSettings                 settings every mock shares (subclass for a dialect)
    load_settings(Model, data)   validate a plain dict; ConfigError names the field
    Database(url)                .begin() / .create_all() / .upsert(table)
    ApiError(status, message, *, code=None, field=None, headers=None)
    Context, Principal           Annotated dependencies for routes
    annotate(scope, idempotency_key=..., document_id=..., ref=...)   journal fields
    serve(app_factory, *, port, host="127.0.0.1", workers=1, db_url=None, settings=None)
    export_journal(db, path) -> int      JOURNAL_SCHEMA
    redact_url(url), redact(text, secrets), redact_query(query)   credentials masked
"""

from mocks.core.app import MockApp, create_mock_app
from mocks.core.auth import TokenRegistry, bearer_token
from mocks.core.context import MockContext
from mocks.core.db import Database, normalize_url
from mocks.core.deps import (
    AdminContext,
    Context,
    Principal,
    api_principal,
    mock_context,
    require_admin,
)
from mocks.core.errors import ApiError, BodyTooLarge, ConfigError, MockError
from mocks.core.gateway import Admission, ConnectionResetFault, annotate
from mocks.core.handlers import ErrorRenderer, error_response, field_path
from mocks.core.journal import JOURNAL_SCHEMA, Journal, JournalEntry, export_journal
from mocks.core.redact import redact, redact_query, redact_url
from mocks.core.serve import app_from_env, serve
from mocks.core.settings import CoreSettings, load_settings

__all__ = [
    "JOURNAL_SCHEMA",
    "AdminContext",
    "Admission",
    "ApiError",
    "BodyTooLarge",
    "ConfigError",
    "ConnectionResetFault",
    "Context",
    "CoreSettings",
    "Database",
    "ErrorRenderer",
    "Journal",
    "JournalEntry",
    "MockApp",
    "MockContext",
    "MockError",
    "Principal",
    "TokenRegistry",
    "annotate",
    "api_principal",
    "app_from_env",
    "bearer_token",
    "create_mock_app",
    "error_response",
    "export_journal",
    "field_path",
    "load_settings",
    "mock_context",
    "normalize_url",
    "redact",
    "redact_query",
    "redact_url",
    "require_admin",
    "serve",
]

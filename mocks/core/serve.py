"""Run a mock app factory under uvicorn, with one or several worker processes.

Workers are separate processes, so the factory and its settings travel through
environment variables: ``TILLBENCH_MOCK_FACTORY`` (``module:function``) and
``TILLBENCH_MOCK_SETTINGS`` (JSON).
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

import uvicorn
from fastapi import FastAPI

from mocks.core.errors import ConfigError

FACTORY_ENV = "TILLBENCH_MOCK_FACTORY"
SETTINGS_ENV = "TILLBENCH_MOCK_SETTINGS"

AppFactory = Callable[[Mapping[str, Any]], FastAPI]


def factory_path(app_factory: str | AppFactory) -> str:
    """``module:qualname`` of a factory (strings pass through)."""
    if isinstance(app_factory, str):
        return app_factory
    qualname = getattr(app_factory, "__qualname__", "")
    if "<" in qualname or not qualname:
        raise ConfigError("app_factory", app_factory, "must be a module-level function")
    return f"{app_factory.__module__}:{qualname}"


def app_from_env() -> FastAPI:
    """Build the app described by the environment (uvicorn calls this in each worker)."""
    path = os.environ.get(FACTORY_ENV)
    if not path or ":" not in path:
        raise ConfigError(FACTORY_ENV, path, "must name an app factory as 'module:function'")
    module_name, _, attr = path.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    settings = json.loads(os.environ.get(SETTINGS_ENV) or "{}")
    app: FastAPI = factory(settings)
    return app


def serve(
    app_factory: str | AppFactory,
    *,
    port: int,
    host: str = "127.0.0.1",
    workers: int = 1,
    db_url: str | None = None,
    settings: Mapping[str, Any] | None = None,
    log_level: str = "warning",
    access_log: bool = False,
) -> None:
    """Serve ``app_factory(settings)`` on ``host:port`` until interrupted.

    ``db_url`` overrides ``settings["db_url"]``; with ``workers`` > 1 use PostgreSQL (or
    accept that SQLite serializes writers).
    """
    if workers < 1:
        raise ConfigError("workers", workers, "must be ≥ 1")
    merged = dict(settings or {})
    if db_url is not None:
        merged["db_url"] = db_url
    merged["workers"] = workers
    os.environ[FACTORY_ENV] = factory_path(app_factory)
    os.environ[SETTINGS_ENV] = json.dumps(merged, default=str)
    uvicorn.run(
        "mocks.core.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=5,
    )

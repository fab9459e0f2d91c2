"""Mock ERPs: one engine, one folder per vendor dialect.

- ``mocks.erp.engine``: items, locations, customers, stock, documents and journals, the
  capacity model, the engine's settings and ``create_erp_app`` (engine + dialect → app).
- ``mocks.erp.bc``: the Business Central API v2.0 dialect (``create_app``, ``BcSettings``).
- ``mocks.erp.dialects``: the registry, name → app factory (``DIALECTS``).

Example::

    from mocks.erp import app_factory
    from mocks.core import serve

    serve(app_factory("bc"), port=8102, settings={"db_url": "sqlite:///erp.sqlite"})
"""

from mocks.erp.dialects import DEFAULT_DIALECT, DIALECTS, app_factory

__all__ = ["DEFAULT_DIALECT", "DIALECTS", "app_factory"]

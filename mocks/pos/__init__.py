"""Mock POS systems: one engine, one folder per vendor dialect.

- ``mocks.pos.engine``: the POS (orders, payments, refunds, stock, catalogue, customers,
  webhook outbox), the driver's door, the admin routes, background delivery and
  ``create_pos_app`` (engine + dialect → app).
- ``mocks.pos.square``: the Square v2 dialect (``create_app``, ``SquareSettings``, ``sign``).
- ``mocks.pos.dialects``: the registry, name → app factory (``DIALECTS``).

Example::

    from mocks.core import serve
    from mocks.pos import app_factory

    serve(app_factory("square"), port=8101, settings={"db_url": "sqlite:///pos.sqlite3"})
"""

from mocks.pos.dialects import DEFAULT_DIALECT, DIALECTS, app_factory

__all__ = ["DEFAULT_DIALECT", "DIALECTS", "app_factory"]

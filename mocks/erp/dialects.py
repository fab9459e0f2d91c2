"""The ERP dialects the mock ERP speaks: name → ``module:function`` app factory.

A dialect is one folder under ``mocks/erp/`` (see ``mocks/erp/README.md``) plus one line
here. Factories are named, not imported, so this module stays light: ``tillbench mock erp
--dialect NAME`` and the live harness resolve a name and hand the factory to
``mocks.core.serve``, which imports it in each worker.
"""

from __future__ import annotations

__all__ = ["DEFAULT_DIALECT", "DIALECTS", "app_factory"]

DIALECTS: dict[str, str] = {
    "bc": "mocks.erp.bc.app:create_app",
    "netsuite": "mocks.erp.netsuite.app:create_app",
}

DEFAULT_DIALECT = "bc"
"""Business Central API v2.0."""


def app_factory(name: str) -> str:
    """The ``module:function`` app factory of ERP dialect ``name``.

    Example::

        app_factory("bc")  # 'mocks.erp.bc.app:create_app'
    """
    try:
        return DIALECTS[name]
    except KeyError:
        known = ", ".join(sorted(DIALECTS))
        raise ValueError(
            f"dialect: not an ERP dialect of the mocks, got {name!r}; choose one of: {known}"
        ) from None
